import { defineEvent, type EventData, type EventOf } from '../shared/event.js';
import { S, type Static } from '../shared/schema.js';
import { IMAGING_MODALITIES } from './imaging-modality.js';

const imageAcquiredV1 = {
  imageId: S.id(),
  trialId: S.id(),
  siteId: S.id(),
  subjectId: S.id(),
  modality: S.oneOf(IMAGING_MODALITIES),
  scanner: S.obj({ vendor: S.text(100), model: S.text(100) }),
  fieldStrengthT: S.num(),
  trMs: S.num(),
  teMs: S.num(),
  contrast: S.nullable(S.obj({ agent: S.text(100), injectionRateMlPerS: S.num(), delayS: S.num() })),
  artifactSha256: S.sha256(),
  studyUidHash: S.nullable(S.sha256()),
  seriesUidHash: S.nullable(S.sha256()),
  /** The protocol in force when the acquisition was recorded, if the trial defines one for the modality. */
  protocolId: S.nullable(S.id()),
};

export const ImageAcquiredEvent = defineEvent(
  'ImageAcquired',
  // v2 (2026-03): `sliceThicknessMm` added (IBSI resampling needs it).
  S.obj({ ...imageAcquiredV1, sliceThicknessMm: S.nullable(S.num({ exclusiveMinimum: 0 })) }),
  [
    // v1 → v2: slice thickness was not recorded in v1; null means "not recorded", never a guessed
    // value (a default thickness would silently change resampling provenance).
    { version: 1, schema: S.obj(imageAcquiredV1), upcast: (data) => ({ ...data, sliceThicknessMm: null }) },
  ],
);
export type ImageAcquiredData = EventData<typeof ImageAcquiredEvent>;

export const DEVIATION_FIELDS = ['fieldStrengthT', 'trMs', 'teMs', 'contrast', 'contrast.injectionRateMlPerS', 'contrast.delayS'] as const;
const ProtocolDeviationSchema = S.obj({ field: S.oneOf(DEVIATION_FIELDS), expected: S.text(200), actual: S.text(200) });
export type ProtocolDeviation = Static<typeof ProtocolDeviationSchema>;

export const ProtocolDeviationDetectedEvent = defineEvent(
  'ProtocolDeviationDetected',
  S.obj({ imageId: S.id(), trialId: S.id(), siteId: S.id(), protocolId: S.id(), deviations: S.list(ProtocolDeviationSchema, { minItems: 1 }) }),
);
export const PreprocessingAppliedEvent = defineEvent(
  'PreprocessingApplied',
  S.obj({ imageId: S.id(), stepId: S.id(), tool: S.text(100), toolVersion: S.text(50), parameters: S.json(), inputSha256: S.sha256(), outputSha256: S.sha256() }),
);

/**
 * The acquisition that first recorded these bytes (stream `imagebytes-<sha256>`), appended with
 * its ImageAcquired: the same bytes for another subject or modality are refused.
 */
export const ImageBytesClaimedEvent = defineEvent(
  'ImageBytesClaimed',
  S.obj({ artifactSha256: S.sha256(), imageId: S.id(), trialId: S.id(), subjectId: S.id(), modality: S.oneOf(IMAGING_MODALITIES) }),
);

const nullableNumber = () => S.nullable(S.num());
/**
 * Image quality of one image version (libs/radiomics/src/qc; ADR 0010): SNR and CNR (head vs
 * background), the N/2 ghost-to-signal ratio, completeness of the acquisition metadata the
 * protocol requires. A failed image is excluded from feature sets.
 */
export const ImageQualityAssessedEvent = defineEvent(
  'ImageQualityAssessed',
  S.obj({
    imageId: S.id(),
    trialId: S.id(),
    siteId: S.id(),
    imageSha256: S.sha256(),
    snr: nullableNumber(),
    cnr: nullableNumber(),
    ghostToSignalRatio: nullableNumber(),
    ghostAxis: S.nullable(S.text(10)),
    metadataCompleteness: S.num({ minimum: 0, maximum: 1 }),
    missingMetadata: S.list(S.text(100)),
    thresholds: S.obj({ minSnr: S.num(), minCnr: S.num(), maxGhostToSignalRatio: S.num(), minMetadataCompleteness: S.num() }),
    failures: S.list(S.obj({ check: S.text(50), detail: S.text(500) })),
    passed: S.bool(),
    /** Failed images are left out of feature sets (the protocol's QC rule). */
    excludedFromFeatures: S.bool(),
    software: S.obj({ name: S.text(100), version: S.text(50) }),
  }),
);

export type ImageAcquired = EventOf<typeof ImageAcquiredEvent>;
export type ImageBytesClaimed = EventOf<typeof ImageBytesClaimedEvent>;
export type ImageQualityAssessed = EventOf<typeof ImageQualityAssessedEvent>;
export type ProtocolDeviationDetected = EventOf<typeof ProtocolDeviationDetectedEvent>;
export type PreprocessingApplied = EventOf<typeof PreprocessingAppliedEvent>;

export const imagingEvents = [ImageAcquiredEvent, ProtocolDeviationDetectedEvent, PreprocessingAppliedEvent, ImageBytesClaimedEvent, ImageQualityAssessedEvent] as const;
export type ImagingEvent = ImageAcquired | ProtocolDeviationDetected | PreprocessingApplied | ImageBytesClaimed | ImageQualityAssessed;
