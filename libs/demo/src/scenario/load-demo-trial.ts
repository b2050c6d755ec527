import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ArtifactStore } from '@radledger/artifacts';
import type { CommandMetadata, CommandResult, WorkflowCommand } from '@radledger/domain';
import type { EventStore, RecordedEvent } from '@radledger/ledger';
import { parseRadiomicsSettings, type RadiomicsSettings } from '@radledger/radiomics';
import { encodeExplanationReference } from '@radledger/inference';
import type { FeatureService, ModelService } from '@radledger/application';
import { BIAS_FIELD_PARAMETERS, PREPROCESSING_TOOL, Z_SCORE_PARAMETERS } from '../synthetic/demo-preprocessing.js';
import { SubjectFileRenderer } from '../synthetic/subject-file-renderer.js';
import type { SubjectFiles } from '../synthetic/subject-files.js';
import { DEMO_CLIENT, DEMO_PROTOCOLS, DEMO_SEED, DEMO_SITES, DEMO_TRIAL, DEMO_USERS, demoSubjects, type DemoSubject, type DemoUser } from './demo-trial.plan.js';

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
  /** Model registration (signature read by onnxruntime) and decisions by the locked version only. */
  models: Pick<ModelService, 'register' | 'decide'>;
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
    let editedSegmentationId = '';
    let deviationImageId = '';
    const renderer = new SubjectFileRenderer({ useWorker: this.options.useWorker ?? true });
    const render = (subject: DemoSubject) => {
      const files = renderer.render({ seed: this.seed, subjectId: subject.subjectId, scanner: subject.scanner, phenotype: subject.phenotype });
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
        if (done.editedSegmentationId && !editedSegmentationId) editedSegmentationId = done.editedSegmentationId;
        if (done.deviation) deviationImageId = done.t1cImageId;
      }
    } finally {
      await renderer.close();
    }
    this.log(`demo: ${this.subjects.length} subjects acquired, segmented and featurised`);

    const models = await this.timed('models', () => this.registerModels(manifest.models, modelsDir));
    const idhV1 = models.find((m) => m.entry.id === 'idh-logreg' && m.entry.version === 1)!;
    const idhV2 = models.find((m) => m.entry.id === 'idh-logreg' && m.entry.version === 2)!;
    const mgmt = models.find((m) => m.entry.id === 'mgmt-trees')!;

    // First lock: idh-logreg v1 and mgmt-trees v1, then decisions for the first two sites.
    await this.timed('models', async () => {
      await this.lock(idhV1);
      await this.lock(mgmt);
    });
    const firstWave = featureSets.filter((f) => f.subject.site.siteId !== 'SITE-TYO');
    const laterWave = featureSets.filter((f) => f.subject.site.siteId === 'SITE-TYO');
    const decisions: Array<{ decisionId: string; subjectId: string; model: RegisteredModel; made: RecordedEvent; featureSetId: string }> = [];
    await this.timed('decisions', async () => {
      for (const fs of firstWave) for (const m of [idhV1, mgmt]) decisions.push(await this.decide(m, fs));
    });

    // Change under the PCCP: idh-logreg v2 validated against the plan, approved, locked; later decisions use it.
    await this.timed('models', async () => {
      await this.exec(
        {
          type: 'RecordModelValidation',
          data: {
            modelId: idhV2.entry.id,
            version: idhV2.version,
            planId: this.planId,
            results: { auc: idhV2.entry.performance.value, aucCiLower: idhV2.entry.performance.ci95.lower, aucCiUpper: idhV2.entry.performance.ci95.upper },
            passed: idhV2.entry.performance.value >= 0.85 && idhV2.entry.performance.ci95.lower >= 0.8,
            summary: `Sequestered test partition of ${idhV2.entry.trainingData.cohort}: ROC AUC ${idhV2.entry.performance.value} (95% CI ${idhV2.entry.performance.ci95.lower}-${idhV2.entry.performance.ci95.upper}); acceptance criteria of the plan met; inputs, outputs and threshold unchanged.`,
          },
        },
        DEMO_USERS.dataScientist,
        `demo:model:${idhV2.entry.id}`,
      );
      await this.lock(idhV2, `Locked under change control plan ${this.planId}: retrained on more data, validated before release`);
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
      },
      durationMs: Math.round(performance.now() - started),
      timingsMs: Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v)])),
    };
    this.log(`demo: loaded trial ${summary.trialId}: ${summary.eventsAppended} events, ${summary.artifactsStored} artifacts in ${summary.durationMs} ms`);
    return summary;
  }

  private readonly planId = 'PCCP-IDH-LOGREG-01';

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
    await this.exec(
      { type: 'AssignFeatureSetPartition', data: { featureSetId, partition: subject.partition, reason: subject.partition === 'test' ? 'Held-out site: sequestered test partition' : 'Development sites: training partition' } },
      DEMO_USERS.dataScientist,
      correlationId,
      { causationId: computed.events[0]!.eventId },
    );
    return { featureSetId, editedSegmentationId, deviation, t1cImageId: t1c.imageId };
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
      if (entry.id === 'idh-logreg' && entry.version === 1) {
        const plan = await this.exec(
          {
            type: 'RecordChangeControlPlan',
            data: {
              modelId: entry.id,
              planId: this.planId,
              whatMayChange:
                'Logistic-regression coefficients may be re-estimated on additional training data from the same synthetic cohort definition. Inputs (IBSI codes and order), output, threshold and intended use may not change.',
              validationProtocol:
                'ROC AUC with 95% percentile-bootstrap CI (2000 resamples) on the sequestered test partition, which no development step may use; model-diff against the validated file before locking.',
              acceptanceCriteria: 'AUC >= 0.85 and lower 95% CI bound >= 0.80 on the test partition; identical input and output signature and threshold.',
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
