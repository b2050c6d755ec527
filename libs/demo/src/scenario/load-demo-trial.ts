import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArtifactStore } from '@radledger/artifacts';
import type { CommandMetadata, CommandResult, WorkflowCommand } from '@radledger/domain';
import type { EventStore, RecordedEvent } from '@radledger/ledger';
import { parseRadiomicsSettings, type RadiomicsSettings } from '@radledger/radiomics';
import type { FeatureService, ModelService, Runtime } from '@radledger/application';
import { bootstrapAucInterval, encodeExplanationReference, rocAuc } from '@radledger/inference';
import { BIAS_FIELD_PARAMETERS, PREPROCESSING_TOOL, Z_SCORE_PARAMETERS } from '../synthetic/demo-preprocessing.js';
import { SubjectFileRenderer } from '../synthetic/subject-file-renderer.js';
import { renderFollowUpT1c, type SubjectFiles } from '../synthetic/subject-files.js';
import {
  DEMO_CLIENT,
  DEMO_PROTOCOLS,
  DEMO_SEED,
  DEMO_SITES,
  DEMO_TRIAL,
  DEMO_USERS,
  RADIOTHERAPY_END_STUDY_DAY,
  RANO_SUBJECT,
  RANO_TIMEPOINTS,
  demoSubjects,
  type DemoSubject,
  type DemoUser,
} from './demo-trial.plan.js';

/**
 * What the demo needs: a subset of libs/runtime's `Runtime`, so a host passes its runtime
 * as is (`loadDemoTrial(runtime)`). Every part is the project's real implementation.
 */
export interface DemoTrialDeps {
  /** The write path (libs/domain CommandService). */
  commands: { execute(command: WorkflowCommand, metadata: CommandMetadata): Promise<CommandResult> };
  /** The ledger the commands append to: read to check it is empty and to count. */
  store: Pick<EventStore, 'head'>;
  /** Where the generated NIfTI files and the ONNX models are uploaded. */
  artifacts: Pick<ArtifactStore, 'put'>;
  /** IBSI features computed from the stored image and mask versions, then recorded. */
  features: Pick<FeatureService, 'compute'>;
  /** Model registration (signature read by onnxruntime), validation runs of the stored bytes, and decisions by the locked version only. */
  models: Pick<ModelService, 'register' | 'decide' | 'rerun'>;
  /** Image QC from the stored bytes and the inter-reader reliability study (issue 15). */
  science: Pick<Runtime['science'], 'assessImageQuality' | 'computeFeatureReliability'>;
}

export interface DemoTrialOptions {
  log?: (line: string) => void;
  /** Directory with models.json and the ONNX files (default `<cwd>/models`). */
  modelsDir?: string;
  /** IBSI settings file for the T1c features (default `<cwd>/libs/demo/settings/mri-glioma-demo.json`). */
  settingsFile?: string;
  /** Subjects per site (default 4; three sites). */
  subjectsPerSite?: number;
  seed?: number;
  /** Render the next subject's volumes on a worker thread while the current one is recorded (default true). */
  useWorker?: boolean;
}

export interface DemoTrialSummary {
  skipped: false;
  trialId: string;
  sites: string[];
  subjects: number;
  /** Events appended by the demo, by type. */
  eventsByType: Record<string, number>;
  eventsAppended: number;
  /** Ledger size after the load. */
  ledgerSize: number;
  artifactsStored: number;
  example: {
    decisionId: string;
    subjectId: string;
    modelId: string;
    modelVersion: string;
    modelSha256: string;
    decision: string;
    featureSetId: string;
    editedSegmentationId: string;
    deviationImageId: string;
    lockedModels: Array<{ modelId: string; version: string; sha256: string }>;
    /** The image that failed QC (excluded from feature sets). */
    qcFailedImageId: string;
    /** The subject with RANO 2.0 timepoints (a confirmed progression). */
    responseSubjectId: string;
    /** The inter-reader reliability study the lock gates read. */
    reliabilityStudyId: string;
    /** Sites each lock was validated on (none used for training). */
    validationSiteIds: string[];
  };
  durationMs: number;
  timingsMs: Record<string, number>;
}

export type DemoTrialResult = DemoTrialSummary | { skipped: true; reason: string; ledgerSize: number };

interface ModelManifestEntry {
  id: string;
  version: number;
  file: string;
  featureCodes: string[];
  probabilityOutput: { name: string; column: number };
  threshold: number;
  labels: { positive: string; negative: string };
  intendedUse: string;
  trainingData: { cohort: string; trainedOn: Array<'train' | 'tune' | 'test'>; tunedOn: Array<'train' | 'tune' | 'test'> };
  sha256: string;
  performance: { metric: string; partition: string; value: number; ci95: { lower: number; upper: number } };
  changeSummary?: string;
}

const AUTOSEG_TOOL = { name: 'radledger-demo-autoseg', version: '0.9.0' };

/**
 * Loads the GLIO-RAD-01 demo trial through the real write path: users and roles, trial,
 * sites, imaging protocols, subjects; per subject generated T1c and FLAIR NIfTI volumes
 * uploaded to the artifact store, acquisitions (one outside the protocol), preprocessing,
 * automatic segmentations, second-reader edits, QC reviews, IBSI features computed on the
 * stored volumes, partitions; the demo ONNX models registered, signed, locked under a
 * change control plan; decisions by the locked models; e-signatures.
 * Skipped (`{ skipped: true }`) when the ledger already holds events.
 */
export async function loadDemoTrial(deps: DemoTrialDeps, options: DemoTrialOptions = {}): Promise<DemoTrialResult> {
  const head = await deps.store.head();
  if (head.size > 0) return { skipped: true, reason: `the ledger already holds ${head.size} events`, ledgerSize: head.size };
  return new DemoTrialLoader(deps, options).load();
}

class DemoTrialLoader {
  private readonly log: (line: string) => void;
  private readonly eventsByType: Record<string, number> = {};
  private readonly artifacts = new Set<string>();
  private readonly timings: Record<string, number> = {};
  private readonly seed: number;
  private readonly subjects: DemoSubject[];

  constructor(
    private readonly deps: DemoTrialDeps,
    private readonly options: DemoTrialOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.seed = options.seed ?? DEMO_SEED;
    this.subjects = demoSubjects(options.subjectsPerSite ?? 4);
  }

  async load(): Promise<DemoTrialSummary> {
    const started = performance.now();
    const modelsDir = this.options.modelsDir ?? resolve(process.cwd(), 'models');
    const settingsFile = this.options.settingsFile ?? resolve(process.cwd(), 'libs', 'demo', 'settings', 'mri-glioma-demo.json');
    const settings = parseRadiomicsSettings(JSON.parse(await readFile(settingsFile, 'utf8')));
    const manifest = JSON.parse(await readFile(resolve(modelsDir, 'models.json'), 'utf8')) as { models: ModelManifestEntry[] };

    const featureSets: Array<{ subject: DemoSubject; featureSetId: string }> = [];
    const reliabilityFeatureSets: string[] = [];
    let editedSegmentationId = '';
    let deviationImageId = '';
    let qcFailedImageId = '';
    const renderer = new SubjectFileRenderer({ useWorker: this.options.useWorker ?? true });
    const render = (subject: DemoSubject) => {
      const files = renderer.render({ seed: this.seed, subjectId: subject.subjectId, scanner: subject.scanner, phenotype: subject.phenotype, ...(subject.flairGhost ? { flairGhost: subject.flairGhost } : {}) });
      files.catch(() => undefined); // awaited below; a failure must not surface as an unhandled rejection meanwhile
      return files;
    };
    try {
      // The first subject renders on the worker while the trial is set up.
      let next = render(this.subjects[0]!);
      await this.timed('trial', () => this.setUpTrial());
      for (const [i, subject] of this.subjects.entries()) {
        const files = await this.timed('render', () => next);
        // The worker renders the next subject while this one is recorded.
        if (i + 1 < this.subjects.length) next = render(this.subjects[i + 1]!);
        const done = await this.loadSubject(subject, settings, files);
        featureSets.push({ subject, featureSetId: done.featureSetId });
        reliabilityFeatureSets.push(...done.reliabilityFeatureSetIds);
        if (done.editedSegmentationId && !editedSegmentationId) editedSegmentationId = done.editedSegmentationId;
        if (done.deviation) deviationImageId = done.t1cImageId;
        if (done.qcFailedImageId) qcFailedImageId = done.qcFailedImageId;
        if (subject.subjectId === RANO_SUBJECT) await this.timed('response', () => this.followUp(subject));
      }
    } finally {
      await renderer.close();
    }
    this.log(`demo: ${this.subjects.length} subjects acquired, segmented and featurised`);

    // Inter-reader reliability: both central readers' contours of the same T1c images, every feature, ICC(2,1) and ICC(3,1).
    const reliabilityStudyId = 'REL-GLIO-RAD-01-WT-T1C';
    await this.timed('reliability', async () =>
      this.count(
        await this.deps.science.computeFeatureReliability(
          { trialId: DEMO_TRIAL.trialId, studyId: reliabilityStudyId, featureSetIds: reliabilityFeatureSets, threshold: 0.75 },
          this.metadata(DEMO_USERS.dataScientist, 'demo:reliability'),
        ),
      ),
    );

    const models = await this.timed('models', () => this.registerModels(manifest.models, modelsDir));
    const idhV1 = models.find((m) => m.entry.id === 'idh-logreg' && m.entry.version === 1)!;
    const idhV2 = models.find((m) => m.entry.id === 'idh-logreg' && m.entry.version === 2)!;
    const mgmt = models.find((m) => m.entry.id === 'mgmt-trees')!;

    // First locks: idh-logreg v1 and mgmt-trees v1, each validated on the held-out sites by the independent validator under
    // its plan's lock gates, then decisions for the development sites.
    const heldOut = featureSets.filter((f) => f.subject.site.role === 'held-out');
    await this.timed('models', async () => {
      await this.validate(idhV1, heldOut, this.idhPlanId);
      await this.lock(idhV1);
      await this.validate(mgmt, heldOut, this.mgmtPlanId);
      await this.lock(mgmt);
    });
    const firstWave = featureSets.filter((f) => f.subject.site.role === 'development');
    const laterWave = heldOut;
    const decisions: Array<{ decisionId: string; subjectId: string; model: RegisteredModel; made: RecordedEvent; featureSetId: string }> = [];
    await this.timed('decisions', async () => {
      for (const fs of firstWave) for (const m of [idhV1, mgmt]) decisions.push(await this.decide(m, fs));
    });

    // Change under the PCCP: idh-logreg v2 validated on the same held-out sites by the independent validator, locked (supersedes v1); later decisions use it.
    await this.timed('models', async () => {
      await this.validate(idhV2, heldOut, this.idhPlanId);
      await this.lock(idhV2, `Locked under change control plan ${this.idhPlanId}: retrained on more data, validated on three held-out sites before release`);
    });
    await this.timed('decisions', async () => {
      for (const fs of laterWave) for (const m of [idhV2, mgmt]) decisions.push(await this.decide(m, fs));
    });

    // The monitor reviews one decision per site (21 CFR 11.50: meaning "reviewed").
    await this.timed('signatures', async () => {
      const seen = new Set<string>();
      for (const d of decisions) {
        const site = this.subjects.find((s) => s.subjectId === d.subjectId)!.site.siteId;
        if (seen.has(site)) continue;
        seen.add(site);
        await this.sign(d.made, 'reviewed', DEMO_USERS.monitor, `demo:decision:${d.decisionId}`);
      }
    });

    const example = decisions.find((d) => d.model === idhV1) ?? decisions[0]!;
    const ledgerSize = (await this.deps.store.head()).size;
    const summary: DemoTrialSummary = {
      skipped: false,
      trialId: DEMO_TRIAL.trialId,
      sites: DEMO_SITES.map((s) => s.siteId),
      subjects: this.subjects.length,
      eventsByType: Object.fromEntries(Object.entries(this.eventsByType).sort(([a], [b]) => a.localeCompare(b))),
      eventsAppended: Object.values(this.eventsByType).reduce((a, b) => a + b, 0),
      ledgerSize,
      artifactsStored: this.artifacts.size,
      example: {
        decisionId: example.decisionId,
        subjectId: example.subjectId,
        modelId: example.model.entry.id,
        modelVersion: example.model.version,
        modelSha256: String(example.made.data.modelSha256),
        decision: String(example.made.data.decision),
        featureSetId: example.featureSetId,
        editedSegmentationId,
        deviationImageId,
        lockedModels: [idhV2, mgmt].map((m) => ({ modelId: m.entry.id, version: m.version, sha256: m.sha256 })),
        qcFailedImageId,
        responseSubjectId: RANO_SUBJECT,
        reliabilityStudyId,
        validationSiteIds: [...new Set(heldOut.map((f) => f.subject.site.siteId))],
      },
      durationMs: Math.round(performance.now() - started),
      timingsMs: Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v)])),
    };
    this.log(`demo: loaded trial ${summary.trialId}: ${summary.eventsAppended} events, ${summary.artifactsStored} artifacts in ${summary.durationMs} ms`);
    return summary;
  }

  private readonly idhPlanId = 'PCCP-IDH-LOGREG-01';
  private readonly mgmtPlanId = 'PCCP-MGMT-TREES-01';

  /**
   * The independent validator runs the registered bytes (re-hashed by the runner) on every held-out
   * feature set and scores them against the reference standard: ROC AUC with a 95% percentile-bootstrap
   * interval (2000 resamples). Recorded with the sites it used, under the model's plan.
   */
  private async validate(model: RegisteredModel, heldOut: Array<{ subject: DemoSubject; featureSetId: string }>, planId: string): Promise<void> {
    const scores: number[] = [];
    const labels: boolean[] = [];
    for (const f of heldOut) {
      const run = await this.deps.models.rerun({
        decision: { modelSha256: model.sha256 },
        model: { version: model.version, featureCodes: model.entry.featureCodes, decisionRule: this.ruleOf(model.entry) },
        features: this.features.get(f.featureSetId)!,
      });
      scores.push(run.outputs['probability']!);
      labels.push(model.entry.id === 'mgmt-trees' ? f.subject.reference.mgmtMethylated : f.subject.reference.idhMutant);
    }
    const round = (x: number) => Math.round(x * 1000) / 1000;
    const auc = round(rocAuc(scores, labels));
    const ci = bootstrapAucInterval(scores, labels, { seed: this.seed, resamples: 2000 });
    const lower = round(ci.lower);
    const upper = round(ci.upper);
    const siteIds = [...new Set(heldOut.map((f) => f.subject.site.siteId))];
    const passed = auc >= 0.7;
    await this.exec(
      {
        type: 'RecordModelValidation',
        data: {
          modelId: model.entry.id,
          version: model.version,
          planId,
          validationId: `VAL-${model.entry.id}-v${model.version}`,
          results: { auc, aucCiLower: lower, aucCiUpper: upper, subjects: scores.length, positives: labels.filter(Boolean).length },
          passed,
          summary: `Held-out sites ${siteIds.join(', ')} (${scores.length} subjects, none used for development): ROC AUC ${auc} (95% CI ${lower}-${upper}, percentile bootstrap) against the reference standard; the plan's acceptance criterion AUC >= 0.70 ${passed ? 'met' : 'not met'}.`,
          siteIds,
          metrics: [{ metric: 'AUC', value: auc, ciLower: lower, ciUpper: upper }],
        },
      },
      DEMO_USERS.validator,
      `demo:model:${model.entry.id}`,
    );
  }

  private ruleOf(entry: ModelManifestEntry) {
    return { threshold: entry.threshold, positiveLabel: entry.labels.positive, negativeLabel: entry.labels.negative, probabilityOutput: entry.probabilityOutput };
  }

  /** Feature values of each recorded feature set, by id (what validation runs read). */
  private readonly features = new Map<string, Record<string, number>>();

  /**
   * RANO 2.0 follow-up of one subject after chemoradiotherapy, read by both central readers: the
   * post-radiotherapy baseline and two follow-up T1c scans (generated heads with the tumour grown),
   * bidimensional measurements of one enhancing target lesion per reader, corticosteroid dose and
   * clinical status; F1 is a preliminary progression (within 12 weeks of radiotherapy), F2 confirms it.
   */
  private async followUp(subject: DemoSubject): Promise<void> {
    const id = subject.subjectId;
    const correlationId = `demo:response:${id}`;
    const trial = { trialId: DEMO_TRIAL.trialId, subjectId: id };
    const readers = [
      { user: DEMO_USERS.reader, longest: 1.05, perpendicular: 0.9 },
      { user: DEMO_USERS.readerB, longest: 1.02, perpendicular: 0.93 },
    ];
    const images: Record<string, { imageId: string; diameterMm: number }> = {};
    for (const tp of RANO_TIMEPOINTS) {
      const rendered = renderFollowUpT1c({ seed: this.seed, subjectId: id, scanner: subject.scanner, phenotype: subject.phenotype, tumourScale: tp.scale });
      const sha256 = await this.put(rendered.t1c);
      const imageId = `img-${id}-T1c-${tp.timepointId}`;
      await this.exec(
        {
          type: 'AcquireImage',
          data: {
            imageId,
            trialId: DEMO_TRIAL.trialId,
            siteId: subject.site.siteId,
            subjectId: id,
            modality: 'T1c',
            scanner: { vendor: subject.scanner.vendor, model: subject.scanner.model },
            fieldStrengthT: subject.scanner.fieldStrengthT,
            trMs: subject.scanner.t1c.trMs,
            teMs: subject.scanner.t1c.teMs,
            sliceThicknessMm: subject.scanner.t1c.sliceThicknessMm,
            contrast: { agent: subject.contrast.agent, injectionRateMlPerS: subject.contrast.injectionRateMlPerS, delayS: 90 },
            artifactSha256: sha256,
          },
        },
        subject.site.operator,
        correlationId,
      );
      images[tp.timepointId] = { imageId, diameterMm: rendered.enhancingDiameterMm };
      await this.exec({ type: 'RecordResponseTimepoint', data: { ...trial, timepointId: tp.timepointId, studyDay: tp.studyDay, imageIds: [imageId] } }, DEMO_USERS.reader, correlationId);
    }
    await this.exec(
      { type: 'DesignateResponseBaseline', data: { ...trial, timepointId: 'BL', kind: 'post-radiotherapy', radiotherapyEndStudyDay: RADIOTHERAPY_END_STUDY_DAY, component: 'enhancing', method: 'bidimensional' } },
      DEMO_USERS.reader,
      correlationId,
    );
    await this.exec({ type: 'IdentifyLesion', data: { ...trial, lesionId: 'T1', timepointId: 'BL', role: 'target', component: 'enhancing' } }, DEMO_USERS.reader, correlationId);
    const mm = (x: number) => Math.round(x * 10) / 10;
    for (const reader of readers) {
      for (const tp of RANO_TIMEPOINTS) {
        const image = images[tp.timepointId]!;
        await this.exec(
          {
            type: 'RecordLesionMeasurement',
            data: { ...trial, timepointId: tp.timepointId, lesionId: 'T1', longestDiameterMm: mm(image.diameterMm * reader.longest), perpendicularDiameterMm: mm(image.diameterMm * reader.perpendicular), sliceThicknessMm: subject.scanner.t1c.sliceThicknessMm, imageId: image.imageId },
          } as WorkflowCommand,
          reader.user,
          correlationId,
        );
      }
    }
    for (const tp of RANO_TIMEPOINTS) {
      await this.exec({ type: 'RecordClinicalStatus', data: { ...trial, timepointId: tp.timepointId, dexamethasoneMgPerDay: 2, status: 'stable' } }, DEMO_USERS.reader, correlationId);
    }
    for (const reader of readers) {
      for (const tp of RANO_TIMEPOINTS.slice(1)) {
        await this.exec({ type: 'AssessTimepointResponse', data: { ...trial, timepointId: tp.timepointId } }, reader.user, correlationId);
      }
    }
  }

  private async timed<T>(phase: string, work: () => Promise<T> | T): Promise<T> {
    const t = performance.now();
    try {
      return await work();
    } finally {
      this.timings[phase] = (this.timings[phase] ?? 0) + performance.now() - t;
    }
  }

  private async exec(command: WorkflowCommand, actor: DemoUser, correlationId: string, extra: { reason?: string; causationId?: string } = {}): Promise<CommandResult> {
    const metadata: CommandMetadata = { actor: actor.userId, role: actor.role, correlationId, client: DEMO_CLIENT };
    if (extra.reason !== undefined) metadata.reason = extra.reason;
    if (extra.causationId !== undefined) metadata.causationId = extra.causationId;
    return this.count(await this.timed('ledger', () => this.deps.commands.execute(command, metadata)));
  }

  private metadata(actor: DemoUser, correlationId: string): CommandMetadata {
    return { actor: actor.userId, role: actor.role, correlationId, client: DEMO_CLIENT };
  }

  private count(result: CommandResult): CommandResult {
    for (const e of result.events) this.eventsByType[e.type] = (this.eventsByType[e.type] ?? 0) + 1;
    return result;
  }

  private async sign(event: RecordedEvent, meaning: 'authored' | 'reviewed' | 'approved' | 'responsible', signer: DemoUser, correlationId: string): Promise<void> {
    await this.exec({ type: 'SignRecord', data: { eventId: event.eventId, streamId: event.streamId, meaning, printedName: signer.printedName } }, signer, correlationId, { causationId: event.eventId });
  }

  private async put(bytes: Uint8Array): Promise<string> {
    const stored = await this.timed('artifacts', () => this.deps.artifacts.put(bytes));
    this.artifacts.add(stored.sha256);
    return stored.sha256;
  }

  private async setUpTrial(): Promise<void> {
    const admin = DEMO_USERS.admin;
    const correlationId = 'demo:setup';
    for (const user of Object.values(DEMO_USERS) as DemoUser[]) {
      await this.exec({ type: 'RegisterUser', data: { userId: user.userId, printedName: user.printedName } }, admin, correlationId);
    }
    await this.exec({ type: 'RegisterTrial', data: { ...DEMO_TRIAL, blinded: false } }, DEMO_USERS.regulatory, correlationId);
    for (const user of Object.values(DEMO_USERS) as DemoUser[]) {
      if (user.role === 'admin') continue;
      const data = { userId: user.userId, role: user.role, trialId: DEMO_TRIAL.trialId, reason: `Demo trial staff: ${user.role}${user.siteId ? ` at ${user.siteId}` : ''}` };
      await this.exec({ type: 'GrantRole', data: user.siteId ? { ...data, siteId: user.siteId } : data }, admin, correlationId);
    }
    for (const site of DEMO_SITES) {
      await this.exec({ type: 'EnrollSite', data: { trialId: DEMO_TRIAL.trialId, siteId: site.siteId, name: site.name } }, DEMO_USERS.regulatory, correlationId);
    }
    for (const protocol of DEMO_PROTOCOLS) {
      await this.exec({ type: 'DefineImagingProtocol', data: { trialId: DEMO_TRIAL.trialId, ...structuredClone(protocol) } } as WorkflowCommand, DEMO_USERS.regulatory, correlationId);
    }
    for (const subject of this.subjects) {
      await this.exec({ type: 'EnrollSubject', data: { trialId: DEMO_TRIAL.trialId, siteId: subject.site.siteId, subjectId: subject.subjectId } }, subject.site.operator, `demo:subject:${subject.subjectId}`);
    }
  }

  private async loadSubject(subject: DemoSubject, settings: RadiomicsSettings, files: SubjectFiles) {
    const id = subject.subjectId;
    const correlationId = `demo:subject:${id}`;
    const operator = subject.site.operator;

    // Acquisition: the scanner's files go to the artifact store, the facts to the ledger.
    const images: Record<'T1c' | 'FLAIR', { imageId: string; sha256: string; acquired: RecordedEvent; preprocessedSha256: string }> = {} as never;
    let deviation = false;
    let qcFailedImageId: string | undefined;
    for (const modality of ['T1c', 'FLAIR'] as const) {
      const sha256 = await this.put(modality === 'T1c' ? files.t1c : files.flair);
      const imageId = `img-${id}-${modality}`;
      const protocol = modality === 'T1c' ? subject.scanner.t1c : subject.scanner.flair;
      const result = await this.exec(
        {
          type: 'AcquireImage',
          data: {
            imageId,
            trialId: DEMO_TRIAL.trialId,
            siteId: subject.site.siteId,
            subjectId: id,
            modality,
            scanner: { vendor: subject.scanner.vendor, model: subject.scanner.model },
            fieldStrengthT: subject.scanner.fieldStrengthT,
            trMs: protocol.trMs,
            teMs: protocol.teMs,
            sliceThicknessMm: protocol.sliceThicknessMm,
            ...(modality === 'T1c' ? { contrast: subject.contrast } : {}),
            artifactSha256: sha256,
          },
        },
        operator,
        correlationId,
      );
      if (result.events.some((e) => e.type === 'ProtocolDeviationDetected')) deviation = true;

      // Preprocessing: bias-field correction then z-score; the output is a new version of the image.
      const preprocessedSha = await this.put(modality === 'T1c' ? files.t1cPreprocessed : files.flairPreprocessed);
      await this.exec(
        {
          type: 'ApplyPreprocessing',
          data: {
            imageId,
            stepId: `${imageId}-preprocess`,
            tool: PREPROCESSING_TOOL.name,
            toolVersion: PREPROCESSING_TOOL.version,
            parameters: { steps: ['bias-field-correction', 'intensity-normalisation'], biasField: BIAS_FIELD_PARAMETERS, normalisation: Z_SCORE_PARAMETERS },
            inputSha256: sha256,
            outputSha256: preprocessedSha,
          },
        },
        operator,
        correlationId,
        { causationId: result.events[0]!.eventId },
      );
      images[modality] = { imageId, sha256, acquired: result.events[0]!, preprocessedSha256: preprocessedSha };

      // Image QC of the acquired bytes (imaging core lab): SNR, CNR, N/2 ghosting, required metadata.
      const qc = this.count(await this.timed('qc', () => this.deps.science.assessImageQuality({ imageId }, this.metadata(DEMO_USERS.qa, correlationId))));
      if ((qc.events[0]?.data as { passed?: boolean } | undefined)?.passed === false) qcFailedImageId = imageId;
    }
    const t1c = images.T1c;

    // Segmentation: automatic whole tumour and enhancing tumour on the preprocessed T1c grid.
    const wtSegmentationId = `seg-${id}-wt`;
    const autoWtSha = await this.put(files.automaticWholeTumour);
    await this.exec(
      {
        type: 'CreateSegmentation',
        data: { segmentationId: wtSegmentationId, versionId: `${wtSegmentationId}-v1`, imageId: t1c.imageId, imageSha256: t1c.preprocessedSha256, method: 'automatic', tool: AUTOSEG_TOOL.name, toolVersion: AUTOSEG_TOOL.version, region: 'whole-tumour', maskSha256: autoWtSha },
      },
      operator,
      correlationId,
    );
    const etSegmentationId = `seg-${id}-et`;
    const etSha = await this.put(files.enhancing);
    await this.exec(
      {
        type: 'CreateSegmentation',
        data: { segmentationId: etSegmentationId, versionId: `${etSegmentationId}-v1`, imageId: t1c.imageId, imageSha256: t1c.preprocessedSha256, method: 'automatic', tool: AUTOSEG_TOOL.name, toolVersion: AUTOSEG_TOOL.version, region: 'enhancing-tumour', maskSha256: etSha },
      },
      operator,
      correlationId,
    );

    let finalWtVersion = `${wtSegmentationId}-v1`;
    let editedSegmentationId: string | undefined;
    if (subject.editedBySecondReader) {
      await this.exec(
        { type: 'ReviewSegmentation', data: { segmentationId: wtSegmentationId, versionId: finalWtVersion, verdict: 'needs-edit', comment: 'Automatic contour misses peritumoural oedema on one side and includes adjacent non-tumour tissue.' } },
        DEMO_USERS.qa,
        correlationId,
      );
      const editedSha = await this.put(files.wholeTumour);
      const edit = await this.exec(
        {
          type: 'EditSegmentation',
          data: {
            segmentationId: wtSegmentationId,
            parentVersionId: finalWtVersion,
            versionId: `${wtSegmentationId}-v2`,
            maskSha256: editedSha,
            reason: 'Second read: extended the contour to the FLAIR-hyperintense oedema the automatic tool missed and removed a false-positive region outside the lesion.',
            tool: 'manual-contour-editor',
            toolVersion: '2.4',
          },
        },
        DEMO_USERS.reader,
        correlationId,
      );
      await this.sign(edit.events[0]!, 'authored', DEMO_USERS.reader, correlationId);
      finalWtVersion = `${wtSegmentationId}-v2`;
      editedSegmentationId = wtSegmentationId;
    }
    const review = await this.exec({ type: 'ReviewSegmentation', data: { segmentationId: wtSegmentationId, versionId: finalWtVersion, verdict: 'accepted' } }, DEMO_USERS.qa, correlationId);
    if (subject.editedBySecondReader) await this.sign(review.events[0]!, 'reviewed', DEMO_USERS.qa, correlationId);
    if (subject.correctedAfterQc) {
      // A correction after acceptance: recorded as a new version with its reason, then re-reviewed.
      const correctedSha = await this.put(files.wholeTumour);
      const correction = await this.exec(
        {
          type: 'EditSegmentation',
          data: {
            segmentationId: wtSegmentationId,
            parentVersionId: finalWtVersion,
            versionId: `${wtSegmentationId}-v2`,
            maskSha256: correctedSha,
            reason: 'Post-QC correction at central review: the accepted automatic contour left out oedema along the posterior margin; contour extended before feature extraction.',
            tool: 'manual-contour-editor',
            toolVersion: '2.4',
          },
        },
        DEMO_USERS.reader,
        correlationId,
      );
      await this.sign(correction.events[0]!, 'authored', DEMO_USERS.reader, correlationId);
      finalWtVersion = `${wtSegmentationId}-v2`;
      editedSegmentationId = wtSegmentationId;
      const reReview = await this.exec({ type: 'ReviewSegmentation', data: { segmentationId: wtSegmentationId, versionId: finalWtVersion, verdict: 'accepted' } }, DEMO_USERS.qa, correlationId);
      await this.sign(reReview.events[0]!, 'reviewed', DEMO_USERS.qa, correlationId);
    }
    await this.exec({ type: 'ReviewSegmentation', data: { segmentationId: etSegmentationId, versionId: `${etSegmentationId}-v1`, verdict: 'accepted' } }, DEMO_USERS.qa, correlationId);

    // IBSI features computed by RadLedger from the stored preprocessed T1c and the accepted mask version.
    const featureSetId = `fs-${id}-T1c-wt`;
    const computed = this.count(
      await this.timed('features', () =>
        this.deps.features.compute(
          { featureSetId, imageId: t1c.imageId, imageSha256: t1c.preprocessedSha256, segmentationId: wtSegmentationId, maskVersionId: finalWtVersion, settings },
          this.metadata(DEMO_USERS.dataScientist, correlationId),
        ),
      ),
    );
    this.features.set(featureSetId, (computed.events[0]!.data as { features: Record<string, number> }).features);
    await this.exec(
      { type: 'AssignFeatureSetPartition', data: { featureSetId, partition: subject.partition, reason: subject.partition === 'test' ? 'Held-out site: sequestered test partition' : 'Development sites: training partition' } },
      DEMO_USERS.dataScientist,
      correlationId,
      { causationId: computed.events[0]!.eventId },
    );

    // Reliability: where the second reader drew the accepted contour, the independent reader contours the same image
    // without seeing it; features on both masks feed the inter-reader ICC study.
    const reliabilityFeatureSetIds: string[] = [];
    if (editedSegmentationId) {
      const readerBSegmentationId = `seg-${id}-wt-rb`;
      const readerBSha = await this.put(files.readerBWholeTumour);
      await this.exec(
        {
          type: 'CreateSegmentation',
          data: { segmentationId: readerBSegmentationId, versionId: `${readerBSegmentationId}-v1`, imageId: t1c.imageId, imageSha256: t1c.preprocessedSha256, method: 'manual', tool: 'manual-contour-editor', toolVersion: '2.4', region: 'whole-tumour', maskSha256: readerBSha },
        },
        DEMO_USERS.readerB,
        correlationId,
      );
      await this.exec({ type: 'ReviewSegmentation', data: { segmentationId: readerBSegmentationId, versionId: `${readerBSegmentationId}-v1`, verdict: 'accepted' } }, DEMO_USERS.qa, correlationId);
      const readerBFeatureSetId = `fs-${id}-T1c-wt-rb`;
      this.count(
        await this.timed('features', () =>
          this.deps.features.compute(
            { featureSetId: readerBFeatureSetId, imageId: t1c.imageId, imageSha256: t1c.preprocessedSha256, segmentationId: readerBSegmentationId, maskVersionId: `${readerBSegmentationId}-v1`, settings },
            this.metadata(DEMO_USERS.dataScientist, correlationId),
          ),
        ),
      );
      reliabilityFeatureSetIds.push(featureSetId, readerBFeatureSetId);
    }
    return { featureSetId, editedSegmentationId, deviation, t1cImageId: t1c.imageId, qcFailedImageId, reliabilityFeatureSetIds };
  }

  private async registerModels(entries: ModelManifestEntry[], modelsDir: string): Promise<RegisteredModel[]> {
    const out: RegisteredModel[] = [];
    const cohort = JSON.parse(await readFile(resolve(modelsDir, 'synthetic-cohort.json'), 'utf8')) as { subjects: Array<{ partition: string; features: Record<string, number> }> };
    for (const entry of entries) {
      const bytes = await readFile(resolve(modelsDir, entry.file));
      const sha256 = await this.put(bytes);
      if (sha256 !== entry.sha256) throw new Error(`models/${entry.file}: sha256 ${sha256} differs from models.json (${entry.sha256}); run npm run train-demo-models`);
      const version = String(entry.version);
      const correlationId = `demo:model:${entry.id}`;
      const partitions = [...new Set([...entry.trainingData.trainedOn, ...entry.trainingData.tunedOn])];
      // Decisions are explained against the rows the version was fitted on (ADR 0010: the trees' node covers, the linear baseline).
      const referenceRows = cohort.subjects.filter((s) => (entry.trainingData.trainedOn as string[]).includes(s.partition)).map((s) => entry.featureCodes.map((c) => s.features[c]!));
      const referenceSha256 = await this.put(encodeExplanationReference(entry.featureCodes, referenceRows));
      // The ModelService opens the stored bytes with onnxruntime and records the signature it reads.
      const registered = this.count(
        await this.deps.models.register(
          {
            modelId: entry.id,
            version,
            artifactSha256: sha256,
            intendedUse: entry.intendedUse,
            featureCodes: entry.featureCodes,
            decisionRule: { threshold: entry.threshold, positiveLabel: entry.labels.positive, negativeLabel: entry.labels.negative, probabilityOutput: entry.probabilityOutput },
            trainingLineage: { featureSetIds: [], trialIds: [entry.trainingData.cohort], partitions },
            performance: [
              {
                metric: entry.performance.metric,
                value: entry.performance.value,
                ciLower: entry.performance.ci95.lower,
                ciUpper: entry.performance.ci95.upper,
                dataset: `${entry.trainingData.cohort} ${entry.performance.partition} partition`,
              },
            ],
            explanationReference: { artifactSha256: referenceSha256 },
          },
          this.metadata(DEMO_USERS.dataScientist, correlationId),
        ),
      );
      const event = registered.events[0]!;
      // 21 CFR 11.50: authored by the developer, reviewed by QA, approved by regulatory affairs.
      await this.sign(event, 'authored', DEMO_USERS.dataScientist, correlationId);
      await this.sign(event, 'reviewed', DEMO_USERS.qa, correlationId);
      await this.sign(event, 'approved', DEMO_USERS.regulatory, correlationId);
      if (entry.version === 1) {
        const idh = entry.id === 'idh-logreg';
        const plan = await this.exec(
          {
            type: 'RecordChangeControlPlan',
            data: {
              modelId: entry.id,
              planId: idh ? this.idhPlanId : this.mgmtPlanId,
              whatMayChange: idh
                ? 'Logistic-regression coefficients may be re-estimated on additional training data from the same synthetic cohort definition. Inputs (IBSI codes and order), output, threshold and intended use may not change.'
                : 'Nothing may change without a new plan: trees, inputs, output, threshold and intended use are fixed.',
              validationProtocol:
                'Before every lock: an independent validator (not the developer) runs the registered file on the held-out sites (at least three, none used for development) and reports ROC AUC with its 95% percentile-bootstrap CI (2000 resamples) against the reference standard; every model input must reach ICC(2,1) >= 0.75 between two readers.',
              acceptanceCriteria: 'AUC >= 0.70 on the held-out sites, reported with its 95% CI; identical input and output signature and threshold.',
              lockGates: { allowedIntendedUses: [entry.intendedUse], minIndependentSites: 3, requiredMetric: 'AUC', minFeatureIcc: 0.75 },
            },
          },
          DEMO_USERS.regulatory,
          correlationId,
        );
        await this.sign(plan.events[0]!, 'approved', DEMO_USERS.regulatory, correlationId);
      }
      out.push({ entry, sha256, version });
    }
    return out;
  }

  private async lock(model: RegisteredModel, reason?: string): Promise<void> {
    const correlationId = `demo:model:${model.entry.id}`;
    const locked = await this.exec({ type: 'LockModel', data: { modelId: model.entry.id, version: model.version, trialId: DEMO_TRIAL.trialId } }, DEMO_USERS.regulatory, correlationId, reason ? { reason } : {});
    await this.sign(locked.events[0]!, 'responsible', DEMO_USERS.regulatory, correlationId);
  }

  private async decide(model: RegisteredModel, fs: { subject: DemoSubject; featureSetId: string }) {
    const decisionId = `dec-${fs.subject.subjectId}-${model.entry.id}-v${model.version}`;
    // The ModelService runs only the locked bytes (re-hashed) on the recorded feature set.
    const result = this.count(
      await this.deps.models.decide(
        { decisionId, modelId: model.entry.id, modelVersion: model.version, featureSetId: fs.featureSetId },
        this.metadata(fs.subject.site.operator, `demo:subject:${fs.subject.subjectId}`),
      ),
    );
    return { decisionId, subjectId: fs.subject.subjectId, model, made: result.events[0]!, featureSetId: fs.featureSetId };
  }
}

interface RegisteredModel {
  entry: ModelManifestEntry;
  sha256: string;
  version: string;
}
