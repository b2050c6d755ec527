import { sha256Hex, type NewEvent } from '@radledger/ledger';

/** One event to append, with the stream it belongs to (stream names as in libs/domain `streamIds`). */
export interface StreamEvent {
  streamId: string;
  event: NewEvent;
}

export interface SyntheticTrialOptions {
  trialId?: string;
  sites?: number;
  subjectsPerSite?: number;
  modalities?: readonly ('T1' | 'T1c' | 'T2' | 'FLAIR')[];
  /** Edits per segmentation after the first version. */
  editsPerSegmentation?: number;
  /** Subjects whose feature sets train the model (before it is registered and locked). */
  trainingSubjects?: number;
  /** Every n-th decision records a model hash that differs from the locked one (a bypass a monitor must see). */
  hashMismatchEvery?: number;
  /** Every n-th image deviates from the imaging protocol. */
  deviationEvery?: number;
  /** Every n-th segmentation is reviewed (accepted) before its last edit. */
  editAfterReviewEvery?: number;
  /** Time of the first event; each next event is `stepMs` later. */
  start?: Date;
  stepMs?: number;
}

const MODEL_ID = 'idh-logreg';
const FEATURES = ['Q4LE', 'TU9B', 'HTZT', '7ZZ6'];

/**
 * A well-formed, schema-valid multi-site trial (libs/domain event shapes), generated
 * deterministically: for tests, the e2e seed and the read-model benchmark.
 */
export function* syntheticTrial(options: SyntheticTrialOptions = {}): Generator<StreamEvent> {
  const trialId = options.trialId ?? 'TRIAL-1';
  const sites = options.sites ?? 2;
  const subjectsPerSite = options.subjectsPerSite ?? 3;
  const modalities = options.modalities ?? ['T1c', 'FLAIR'];
  const edits = options.editsPerSegmentation ?? 1;
  const trainingSubjects = Math.min(options.trainingSubjects ?? 1, sites * subjectsPerSite);
  const start = (options.start ?? new Date('2026-01-05T06:00:00.000Z')).getTime();
  const stepMs = options.stepMs ?? 7_000;
  let counter = 0;

  const hash = (label: string) => sha256Hex(`${trialId}/${label}`);
  // RFC 9562 uuid v7 layout (48-bit ms timestamp first), like the ledger's real ids: time-ordered.
  const eventId = () => {
    const ms = (start + counter * stepMs).toString(16).padStart(12, '0');
    const h = hash(`event/${counter}`);
    const seq = (counter & 0xfff).toString(16).padStart(3, '0');
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${seq}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const make = (streamId: string, type: string, data: Record<string, unknown>, actor: string, role: string, reason?: string, schemaVersion = 1): StreamEvent => {
    const id = eventId();
    const recordedAt = new Date(start + counter * stepMs).toISOString();
    counter++;
    return {
      streamId,
      event: {
        eventId: id,
        type,
        schemaVersion,
        data,
        meta: { actor, role, ...(reason ? { reason } : {}), correlationId: id, causationId: id, recordedAt, client: 'radledger-synthetic/1.0.0' },
      },
    };
  };
  const sign = (target: StreamEvent, signerId: string, printedName: string, meaning: string): StreamEvent => {
    // The signed event's hash is only known once appended; the synthetic trial binds a stand-in hash.
    const signatureId = `sig-${target.event.eventId.slice(0, 8)}-${meaning}`;
    return make(
      `signatures-${target.event.eventId}`,
      'RecordSigned',
      {
        signatureId,
        eventId: target.event.eventId,
        streamId: target.streamId,
        eventType: target.event.type,
        eventHash: hash(`signed/${target.event.eventId}`),
        signerId,
        printedName,
        meaning,
        signedAt: new Date(start + counter * stepMs).toISOString(),
      },
      signerId,
      'qa',
    );
  };

  const trialStream = `trial-${trialId}`;
  yield make(trialStream, 'TrialRegistered', { trialId, title: 'Radiomics IDH status in adult glioma', sponsor: 'RadLedger Synthetic', phase: 'II', blinded: true }, 'admin-1', 'admin');
  for (const [userId, printedName] of [
    ['admin-1', 'Ada Admin'],
    ['qa-1', 'Quinn Assurance'],
    ['ds-1', 'Dana Scientist'],
  ] as const) {
    yield make(`user-${userId}`, 'UserRegistered', { userId, printedName }, 'admin-1', 'admin');
  }
  for (let s = 1; s <= sites; s++) {
    const siteId = `SITE-${s}`;
    yield make(trialStream, 'SiteEnrolled', { trialId, siteId, name: `Site ${s}` }, 'admin-1', 'admin');
    yield make(`user-op-${s}`, 'UserRegistered', { userId: `op-${s}`, printedName: `Operator ${s}` }, 'admin-1', 'admin');
  }
  for (const modality of modalities) {
    yield make(trialStream, 'ImagingProtocolDefined', {
      trialId,
      protocolId: `PROT-${modality}`,
      modality,
      fieldStrengthT: 3,
      trMs: { min: 400, max: 2500 },
      teMs: { min: 2, max: 120 },
      contrast: null,
    }, 'admin-1', 'admin');
  }

  const featureSets: string[] = [];
  let decisions = 0;
  let images = 0;
  let segmentations = 0;
  let lockedSha = '';
  const subjectsTotal = sites * subjectsPerSite;

  for (let i = 0; i < subjectsTotal; i++) {
    const site = (i % sites) + 1;
    const siteId = `SITE-${site}`;
    const operator = `op-${site}`;
    const subjectId = `SUBJ-${String(i + 1).padStart(6, '0')}`;
    yield make(`subject-${trialId}/${subjectId}`, 'SubjectEnrolled', { trialId, siteId, subjectId }, operator, 'site-operator');
    const subjectFeatureSets: string[] = [];
    for (const modality of modalities) {
      images++;
      const imageId = `IMG-${subjectId}-${modality}`;
      const imageStream = `image-${imageId}`;
      const rawSha = hash(`raw/${imageId}`);
      const deviates = options.deviationEvery !== undefined && images % options.deviationEvery === 0;
      yield make(imageStream, 'ImageAcquired', {
        imageId,
        trialId,
        siteId,
        subjectId,
        modality,
        scanner: { vendor: 'Siemens', model: 'Prisma' },
        fieldStrengthT: deviates ? 1.5 : 3,
        trMs: 1900,
        teMs: modality === 'FLAIR' ? 90 : 3,
        sliceThicknessMm: 1,
        contrast: null,
        artifactSha256: rawSha,
        studyUidHash: hash(`study/${subjectId}`),
        seriesUidHash: hash(`series/${imageId}`),
        protocolId: `PROT-${modality}`,
      }, operator, 'site-operator', undefined, 2);
      if (deviates) {
        yield make(imageStream, 'ProtocolDeviationDetected', {
          imageId,
          trialId,
          siteId,
          protocolId: `PROT-${modality}`,
          deviations: [{ field: 'fieldStrengthT', expected: '3 T ± 0.05', actual: '1.5 T' }],
        }, operator, 'site-operator');
      }
      const preSha = hash(`pre/${imageId}`);
      yield make(imageStream, 'PreprocessingApplied', {
        imageId,
        stepId: `resample-${imageId}`,
        tool: 'radledger-preprocess',
        toolVersion: '1.0.0',
        parameters: { resamplingMm: [1, 1, 1], interpolation: 'linear' },
        inputSha256: rawSha,
        outputSha256: preSha,
      }, operator, 'site-operator');
      segmentations++;
      const segmentationId = `SEG-${imageId}`;
      const segStream = `segmentation-${segmentationId}`;
      let versionId = `${segmentationId}-v1`;
      let maskSha = hash(`mask/${versionId}`);
      yield make(segStream, 'SegmentationCreated', {
        segmentationId,
        versionId,
        imageId,
        imageSha256: preSha,
        trialId,
        subjectId,
        method: 'semi-automatic',
        tool: 'itk-snap',
        toolVersion: '4.2.0',
        region: 'whole-tumour',
        maskSha256: maskSha,
        grid: { dims: [240, 240, 155], spacing: [1, 1, 1] },
        voxelCount: '30000',
        volumeMm3: 30000,
      }, operator, 'site-operator');
      const reviewEarly = options.editAfterReviewEvery !== undefined && segmentations % options.editAfterReviewEvery === 0;
      for (let e = 1; e <= edits; e++) {
        if (reviewEarly && e === edits) {
          yield make(segStream, 'SegmentationReviewed', { segmentationId, versionId, verdict: 'accepted', comment: null }, 'qa-1', 'qa');
        }
        const parentVersionId = versionId;
        const parentMaskSha = maskSha;
        versionId = `${segmentationId}-v${e + 1}`;
        maskSha = hash(`mask/${versionId}`);
        yield make(segStream, 'SegmentationEdited', {
          segmentationId,
          versionId,
          parentVersionId,
          parentMaskSha256: parentMaskSha,
          maskSha256: maskSha,
          reason: 'boundary of oedema corrected',
          tool: 'itk-snap',
          toolVersion: '4.2.0',
          grid: { dims: [240, 240, 155], spacing: [1, 1, 1] },
          voxelCount: String(30000 + e * 500),
          volumeMm3: 30000 + e * 500,
          diceVsParent: 0.95,
          volumeChangeMm3: 500,
          volumeChangeRelative: 500 / (30000 + (e - 1) * 500),
        }, operator, 'site-operator', 'boundary of oedema corrected');
      }
      if (!reviewEarly) {
        yield make(segStream, 'SegmentationReviewed', { segmentationId, versionId, verdict: 'accepted', comment: null }, 'qa-1', 'qa');
      }
      const featureSetId = `FS-${imageId}`;
      yield make(`featureset-${featureSetId}`, 'FeaturesComputed', {
        featureSetId,
        trialId,
        siteId,
        subjectId,
        modality,
        imageId,
        imageSha256: preSha,
        segmentationId,
        maskVersionId: versionId,
        maskSha256: maskSha,
        extractor: { name: 'radledger-radiomics', version: '1.0.0' },
        settings: {
          resamplingMm: [1, 1, 1],
          interpolation: { image: 'linear', mask: 'linear', maskThreshold: 0.5 },
          discretisation: { method: 'fixed-bin-size', binWidth: 25, binCount: null },
          resegmentationRange: null,
          outlierSigma: null,
          aggregation: '3D-averaged',
        },
        features: Object.fromEntries(FEATURES.map((code, k) => [code, (i * 7 + k * 13) % 100 / 10])),
        resultSha256: hash(`features/${featureSetId}`),
        reproducible: true,
        attested: false,
      }, 'ds-1', 'data-scientist');
      subjectFeatureSets.push(featureSetId);
    }
    if (i < trainingSubjects) {
      featureSets.push(...subjectFeatureSets);
      if (i === trainingSubjects - 1) {
        const modelStream = `model-${MODEL_ID}`;
        lockedSha = hash('model/1.0.0');
        const registered = make(modelStream, 'ModelRegistered', {
          modelId: MODEL_ID,
          version: '1.0.0',
          artifactSha256: lockedSha,
          inputs: [{ name: 'features', type: 'float32', shape: ['batch', FEATURES.length] }],
          outputs: [{ name: 'probability', type: 'float32', shape: ['batch', 2] }],
          intendedUse: 'IDH mutation status from T1c+FLAIR radiomics, adult glioma',
          featureCodes: FEATURES,
          decisionRule: { threshold: 0.5, positiveLabel: 'IDH-mutant', negativeLabel: 'IDH-wildtype', probabilityOutput: { name: 'probability', column: 1 } },
          trainingLineage: { featureSetIds: [...featureSets], trialIds: [trialId], partitions: ['train'] },
          performance: [{ metric: 'AUC', value: 0.82, ciLower: 0.75, ciUpper: 0.88, dataset: 'internal test' }],
        }, 'ds-1', 'data-scientist');
        yield registered;
        yield make(modelStream, 'ChangeControlPlanRecorded', {
          modelId: MODEL_ID,
          planId: 'PCCP-1',
          whatMayChange: 'coefficients re-estimated on new training data; features unchanged',
          validationProtocol: 'hold-out test partition, bootstrap CI',
          acceptanceCriteria: 'AUC lower CI bound >= 0.70',
        }, 'ds-1', 'data-scientist');
        yield make(modelStream, 'ModelValidationRecorded', {
          modelId: MODEL_ID,
          version: '1.0.0',
          planId: 'PCCP-1',
          validationId: 'VAL-1',
          validatedSha256: lockedSha,
          results: { auc: 0.82 },
          passed: true,
          summary: 'meets the acceptance criteria',
        }, 'ds-1', 'data-scientist');
        const approval = sign(registered, 'qa-1', 'Quinn Assurance', 'approved');
        yield approval;
        yield make(modelStream, 'ModelLocked', {
          modelId: MODEL_ID,
          version: '1.0.0',
          trialId,
          artifactSha256: lockedSha,
          approvalSignatureIds: [(approval.event.data as { signatureId: string }).signatureId],
          validationId: 'VAL-1',
          supersedesVersion: null,
        }, 'qa-1', 'qa');
      }
      continue;
    }
    if (!lockedSha) continue;
    decisions++;
    const decisionId = `DEC-${subjectId}`;
    const mismatch = options.hashMismatchEvery !== undefined && decisions % options.hashMismatchEvery === 0;
    const decision = make(`decision-${decisionId}`, 'ModelDecisionMade', {
      decisionId,
      trialId,
      siteId,
      subjectId,
      modelId: MODEL_ID,
      modelVersion: '1.0.0',
      modelSha256: mismatch ? hash('model/tampered') : lockedSha,
      featureSetId: subjectFeatureSets[0]!,
      featureSetResultSha256: hash(`features/${subjectFeatureSets[0]}`),
      outputs: { probability: 0.73 },
      threshold: 0.5,
      decision: 'IDH-mutant',
    }, 'ds-1', 'data-scientist');
    yield decision;
    yield sign(decision, 'qa-1', 'Quinn Assurance', 'reviewed');
  }
}

export const SYNTHETIC_MODEL_ID = MODEL_ID;
