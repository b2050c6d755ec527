import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemArtifactStore } from '@radledger/artifacts';
import { CommandService, createEventValidator, type CommandMetadata, type IbsiSettings, type WorkflowCommand } from '@radledger/domain';
import { generateCheckpointSigner, SqliteEventStore, type CheckpointSigner, type CheckpointVerifier, type LedgerStore } from '@radledger/ledger';
import { DecisionExplainer, inspectModel, LockedModelRunner, OnnxPredictor } from '@radledger/inference';
import { FixedClock, uuidV7IdGenerator } from '@radledger/platform';
import { extractFeatures, writeNifti, type Volume } from '@radledger/radiomics';
import { FeatureService, ModelService, artifactMaskSource, radiomicsSettingsFromSummary } from '@radledger/application';
import type { ReproducibilityPorts } from '../reproducibility.js';
import { reproducibilityFromRuntime } from '../reproducibility.adapters.js';

/** The IDH demo model's inputs; `ACUI.IAZD` names the GLCM 3D-merged feature (the ledger's codes avoid '@'). */
export const MODEL_FEATURE_CODES = ['Q4LE', 'ECT3', 'KE2A', 'ACUI.IAZD', 'QCFX', 'RNU0'];
export const LABELS = { positive: 'IDH-mutant', negative: 'IDH-wildtype' };

export const RECORDED_SETTINGS: IbsiSettings = {
  resamplingMm: null,
  interpolation: { image: 'none', mask: 'none', maskThreshold: null },
  discretisation: { method: 'fixed-bin-number', binWidth: null, binCount: 16 },
  resegmentationRange: null,
  outlierSigma: null,
  aggregation: '3D-merged',
};

export interface DossierFixture {
  dir: string;
  store: LedgerStore;
  artifacts: FileSystemArtifactStore;
  runner: LockedModelRunner;
  signer: CheckpointSigner & CheckpointVerifier;
  reproducibility: ReproducibilityPorts;
  trialId: string;
  ids: { dec1EventId: string; image1Sha: string };
  close(): Promise<void>;
}

const dims: [number, number, number] = [16, 16, 12];
const spacing: [number, number, number] = [1, 1, 2];

/** A deterministic test volume: a bright ellipsoid with a texture pattern on a dark background. */
function volume(scale: number): Volume {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const r = ((x - 8) / 6) ** 2 + ((y - 8) / 5) ** 2 + ((z - 6) / 4) ** 2;
        data[x + dims[0] * (y + dims[1] * z)] = scale * ((r < 1 ? 200 : 40) + ((x * 7 + y * 13 + z * 29) % 17));
      }
  return { dims, spacing, data };
}

function maskVolume(shrink: number): Volume {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  for (let z = 0; z < dims[2]; z++)
    for (let y = 0; y < dims[1]; y++)
      for (let x = 0; x < dims[0]; x++) {
        const r = ((x - 8) / (5 - shrink)) ** 2 + ((y - 8) / (4 - shrink)) ** 2 + ((z - 6) / 3) ** 2;
        data[x + dims[0] * (y + dims[1] * z)] = r < 1 ? 1 : 0;
      }
  return { dims, spacing, data };
}

/**
 * A small but complete trial recorded through the real write path (CommandService, SQLite,
 * schema validation, filesystem artifacts, real IBSI extraction and the demo ONNX models):
 * two sites, a protocol deviation, preprocessing, a segmentation edited after review, a
 * computed feature set (reproducible), an imported one (attested) and one whose image bytes
 * were never stored, model v1 locked and signed, decisions (one with outputs that do not
 * match a re-run), a PCCP, a validated v2 that supersedes v1, an override and signatures.
 */
export async function buildDossierFixture(): Promise<DossierFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'radledger-dossier-'));
  const store = new SqliteEventStore({ path: join(dir, 'ledger.db'), validator: createEventValidator() });
  const artifacts = new FileSystemArtifactStore(join(dir, 'artifacts'));
  const runner = new LockedModelRunner({ artifactStore: artifacts, predictor: new OnnxPredictor() });
  const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
  const svc = new CommandService({ store, clock, ids: uuidV7IdGenerator, masks: artifactMaskSource(artifacts), validator: createEventValidator() });
  const operator: CommandMetadata = { actor: 'op-1', role: 'site-operator', correlationId: 'corr-1', client: 'radledger-test/0.1' };
  const qa: CommandMetadata = { ...operator, actor: 'qa-1', role: 'qa' };
  const regulatory: CommandMetadata = { ...operator, actor: 'reg-1', role: 'regulatory' };
  const run = async (c: WorkflowCommand, m: CommandMetadata = operator) => {
    clock.advance(60_000);
    return svc.execute(c, m);
  };
  const put = async (bytes: Uint8Array) => (await artifacts.put(bytes)).sha256;
  const trialId = 'GLIO-01';

  await run({ type: 'RegisterTrial', data: { trialId, title: 'Radiomics IDH prediction in adult glioma', sponsor: 'RadLedger Consortium' } });
  await run({ type: 'EnrollSite', data: { trialId, siteId: 'SITE-A', name: 'Site A <Uni>' } });
  await run({ type: 'EnrollSite', data: { trialId, siteId: 'SITE-B', name: 'Site B' } });
  await run({
    type: 'DefineImagingProtocol',
    data: { trialId, protocolId: 'T1C-3T', modality: 'T1c', fieldStrengthT: 3, trMs: { min: 400, max: 800 }, teMs: { min: 5, max: 20 }, contrast: { injectionRateMlPerS: { min: 2, max: 5 }, delayS: { min: 60, max: 120 } } },
  });
  await run({ type: 'EnrollSubject', data: { trialId, siteId: 'SITE-A', subjectId: 'GLIO01-A-0001' } });
  await run({ type: 'EnrollSubject', data: { trialId, siteId: 'SITE-B', subjectId: 'GLIO01-B-0002' } });
  await run({ type: 'EnrollSubject', data: { trialId, siteId: 'SITE-B', subjectId: 'GLIO01-B-0003' } });

  const raw1 = await put(writeNifti(volume(1)));
  const n4 = await put(writeNifti(volume(1.5)));
  const acquire = (imageId: string, subjectId: string, siteId: string, sha: string, injectionRateMlPerS: number, delayS = 90): WorkflowCommand => ({
    type: 'AcquireImage',
    data: { imageId, trialId, siteId, subjectId, modality: 'T1c', scanner: { vendor: 'Siemens', model: 'Prisma' }, fieldStrengthT: 3, trMs: 600, teMs: 10, sliceThicknessMm: 2, contrast: { agent: 'gadobutrol', injectionRateMlPerS, delayS }, artifactSha256: sha },
  });
  await run(acquire('IMG-1', 'GLIO01-A-0001', 'SITE-A', raw1, 3));
  // Never stored: its features cannot be re-computed.
  const raw2 = 'ab'.repeat(32);
  await run(acquire('IMG-2', 'GLIO01-B-0002', 'SITE-B', raw2, 6));
  await run({ type: 'ApplyPreprocessing', data: { imageId: 'IMG-1', tool: 'N4BiasFieldCorrection', toolVersion: '2.5.0', parameters: { shrinkFactor: 4 }, inputSha256: raw1, outputSha256: n4 } });

  const m1 = await put(writeNifti(maskVolume(0), { datatype: 'uint8' }));
  const m2 = await put(writeNifti(maskVolume(1), { datatype: 'uint8' }));
  await run({ type: 'CreateSegmentation', data: { segmentationId: 'SEG-1', versionId: 'SEG-1-v1', imageId: 'IMG-1', imageSha256: n4, method: 'semi-automatic', tool: 'ITK-SNAP', toolVersion: '4.0', region: 'enhancing-tumour', maskSha256: m1 } });
  await run({ type: 'ReviewSegmentation', data: { segmentationId: 'SEG-1', versionId: 'SEG-1-v1', verdict: 'accepted' } }, qa);
  await run({ type: 'EditSegmentation', data: { segmentationId: 'SEG-1', parentVersionId: 'SEG-1-v1', versionId: 'SEG-1-v2', maskSha256: m2, reason: 'Excluded vessel at the anterior margin', tool: 'manual-contour-editor', toolVersion: '2.4' } });
  await run({ type: 'CreateSegmentation', data: { segmentationId: 'SEG-2', versionId: 'SEG-2-v1', imageId: 'IMG-2', imageSha256: raw2, method: 'automatic', tool: 'nnU-Net', toolVersion: '2.3', region: 'whole-tumour', maskSha256: m1 } });

  // FS-1: computed by RadLedger's own FeatureService (the production path), which records the
  // exact configuration in extractorSettings. GLCM distance 2 is not in the IBSI summary, so
  // only a re-computation that reads extractorSettings can repeat it.
  const features = new FeatureService({ store, artifacts, commands: svc });
  const { settings } = radiomicsSettingsFromSummary(RECORDED_SETTINGS);
  clock.advance(60_000);
  await features.compute({ featureSetId: 'FS-1', imageId: 'IMG-1', imageSha256: n4, segmentationId: 'SEG-1', maskVersionId: 'SEG-1-v2', settings: { ...settings, texture: { ...settings.texture, glcmDistance: 2 } } }, operator);
  // FS-4: the same inputs recorded the way events were before extractorSettings existed (the
  // IBSI summary only): re-computed with the summary and the defaults, stated as assumptions.
  const { readNifti } = await import('@radledger/radiomics');
  const image = readNifti(await artifacts.get(n4)).volume;
  const maskLoaded = readNifti(await artifacts.get(m2)).volume;
  const extraction = extractFeatures(image, { dims: maskLoaded.dims, spacing: maskLoaded.spacing, data: Uint8Array.from(maskLoaded.data, (v) => (v !== 0 ? 1 : 0)) }, settings);
  const plain = Object.fromEntries(Object.entries(extraction.features).filter(([k, v]) => !k.includes('@') && Number.isFinite(v)));
  const extractor = { name: 'radledger-radiomics', version: '0.1.0' };
  await run({ type: 'ComputeFeatures', data: { featureSetId: 'FS-4', imageId: 'IMG-1', imageSha256: n4, segmentationId: 'SEG-1', maskVersionId: 'SEG-1-v2', extractor, settings: RECORDED_SETTINGS, features: plain, provenance: 'computed' } });
  // FS-3: "computed", but its image bytes were never stored.
  await run({ type: 'ComputeFeatures', data: { featureSetId: 'FS-3', imageId: 'IMG-2', imageSha256: raw2, segmentationId: 'SEG-2', maskVersionId: 'SEG-2-v1', extractor, settings: RECORDED_SETTINGS, features: { Q4LE: 1.5, RNU0: 300 }, provenance: 'computed' } });
  // FS-2: imported (attested) model inputs.
  const fs2Features = { Q4LE: 0.42, ECT3: 1.3, KE2A: -0.2, 'ACUI.IAZD': 0.61, QCFX: 0.77, RNU0: 21000 };
  await run({ type: 'ComputeFeatures', data: { featureSetId: 'FS-2', imageId: 'IMG-2', imageSha256: raw2, segmentationId: 'SEG-2', maskVersionId: 'SEG-2-v1', extractor: { name: 'pyradiomics', version: '3.1.0' }, settings: RECORDED_SETTINGS, features: fs2Features, provenance: 'imported' } });
  await run({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS-1', partition: 'train' } });
  await run({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS-3', partition: 'train' } });
  await run({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS-4', partition: 'train' } });
  await run({ type: 'AssignFeatureSetPartition', data: { featureSetId: 'FS-2', partition: 'test' } });

  const register = async (version: string, file: string) => {
    const bytes = readFileSync(join(process.cwd(), 'models', file));
    const sha = await put(bytes);
    const signature = await inspectModel(bytes);
    const registered = await run({
      type: 'RegisterModel',
      data: {
        modelId: 'idh-logreg',
        version,
        artifactSha256: sha,
        inputs: signature.inputs.map((t) => ({ name: t.name, type: t.type, shape: t.shape })),
        outputs: signature.outputs.map((t) => ({ name: t.name, type: t.type, shape: t.shape })),
        intendedUse: 'IDH mutation status from T1c radiomics, adult glioma (test)',
        featureCodes: MODEL_FEATURE_CODES,
        decisionRule: { threshold: 0.31, positiveLabel: LABELS.positive, negativeLabel: LABELS.negative, probabilityOutput: { name: 'probability', column: 0 } },
        trainingLineage: { featureSetIds: ['FS-1', 'FS-3', 'FS-4'], trialIds: [trialId], partitions: ['train'] },
        performance: [{ metric: 'AUC', value: 0.81, ciLower: 0.74, ciUpper: 0.88, dataset: 'GLIO-01 tune' }],
      },
    });
    await run({ type: 'SignRecord', data: { eventId: registered.events[0]!.eventId, meaning: 'approved', printedName: 'R. Reviewer' } }, regulatory);
    return sha;
  };
  const decide = async (decisionId: string, version: string, sha: string, nudge = 0) => {
    const result = await runner.decide({ expectedSha256: sha, featureCodes: MODEL_FEATURE_CODES, threshold: 0.31, labels: LABELS }, fs2Features);
    const outputs: Record<string, number> = {};
    for (const [name, values] of Object.entries(result.outputs)) {
      if (values.length === 1) outputs[name] = values[0]! + nudge;
      else values.forEach((v, i) => (outputs[`${name}.${i}`] = v + nudge));
    }
    return run({ type: 'MakeDecision', data: { decisionId, modelId: 'idh-logreg', modelVersion: version, modelSha256: result.verifiedSha256, featureSetId: 'FS-2', outputs, threshold: 0.31, decision: result.decision } });
  };

  const v1 = await register('1', 'idh-logreg-v1.onnx');
  await run({ type: 'LockModel', data: { modelId: 'idh-logreg', version: '1', trialId } }, qa);
  const dec1 = await decide('DEC-1', '1', v1);
  await run({ type: 'SignRecord', data: { eventId: dec1.events[0]!.eventId, streamId: dec1.streamId, meaning: 'responsible', printedName: 'Dr. A. Neuro' } }, { ...operator, actor: 'rad-1', role: 'qa' });
  await decide('DEC-2', '1', v1, 0.05);

  await run({ type: 'RecordChangeControlPlan', data: { modelId: 'idh-logreg', planId: 'PCCP-1', whatMayChange: 'Coefficients re-estimated on more training data', validationProtocol: 'Hold-out test partition AUC', acceptanceCriteria: 'AUC lower CI >= 0.70' } }, regulatory);
  const v2 = await register('2', 'idh-logreg-v2.onnx');
  await run({ type: 'RecordModelValidation', data: { modelId: 'idh-logreg', version: '2', planId: 'PCCP-1', results: { AUC: 0.83, AUC_ciLower: 0.75 }, passed: true, summary: 'Met acceptance criteria' } }, qa);
  await run({ type: 'LockModel', data: { modelId: 'idh-logreg', version: '2', trialId } }, qa);
  await decide('DEC-3', '2', v2);
  await run({ type: 'OverrideDecision', data: { decisionId: 'DEC-1', decision: 'IDH-wildtype', reason: 'Molecular pathology result available' } }, qa);

  // A subject whose only image deviates from the protocol (contrast delay 150 s) and has no decision:
  // protocol adherence covers it all the same.
  await run({ type: 'EnrollSubject', data: { trialId, siteId: 'SITE-A', subjectId: 'GLIO01-A-0004' } });
  await run(acquire('IMG-4', 'GLIO01-A-0004', 'SITE-A', 'cd'.repeat(32), 3, 150));
  // A second model locked for the trial that has made no decision yet: still part of the trial's dossier.
  const mgmtBytes = readFileSync(join(process.cwd(), 'models', 'mgmt-trees-v1.onnx'));
  const mgmtSha = await put(mgmtBytes);
  const mgmtSignature = await inspectModel(mgmtBytes);
  const mgmt = await run({
    type: 'RegisterModel',
    data: {
      modelId: 'mgmt-trees',
      version: '1',
      artifactSha256: mgmtSha,
      inputs: mgmtSignature.inputs.map((t) => ({ name: t.name, type: t.type, shape: t.shape })),
      outputs: mgmtSignature.outputs.map((t) => ({ name: t.name, type: t.type, shape: t.shape })),
      intendedUse: 'MGMT promoter methylation from T1c radiomics, adult glioma (test)',
      featureCodes: ['Q4LE', 'ECT3', 'KE2A', 'ACUI.IAZD', 'TU9B.IAZD', 'QCFX', 'RNU0'],
      decisionRule: { threshold: 0.51, positiveLabel: 'MGMT-methylated', negativeLabel: 'MGMT-unmethylated', probabilityOutput: { name: 'probabilities', column: 1 } },
      trainingLineage: { featureSetIds: ['FS-1'], trialIds: [trialId], partitions: ['train'] },
      performance: [{ metric: 'AUC', value: 0.75, ciLower: 0.68, ciUpper: 0.81, dataset: 'GLIO-01 test' }],
    },
  });
  await run({ type: 'SignRecord', data: { eventId: mgmt.events[0]!.eventId, meaning: 'approved', printedName: 'R. Reviewer' } }, regulatory);
  await run({ type: 'LockModel', data: { modelId: 'mgmt-trees', version: '1', trialId } }, qa);

  const signer = generateCheckpointSigner('radledger-test');
  const reproducibility: ReproducibilityPorts = reproducibilityFromRuntime({ artifacts, features, models: new ModelService({ store, commands: svc, runner, explainer: new DecisionExplainer(artifacts) }) });
  return {
    dir,
    store,
    artifacts,
    runner,
    signer,
    reproducibility,
    trialId,
    ids: { dec1EventId: dec1.events[0]!.eventId, image1Sha: raw1 },
    async close() {
      await runner.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
