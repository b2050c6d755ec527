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

export type ImageAcquired = EventOf<typeof ImageAcquiredEvent>;
export type ProtocolDeviationDetected = EventOf<typeof ProtocolDeviationDetectedEvent>;
export type PreprocessingApplied = EventOf<typeof PreprocessingAppliedEvent>;

export const imagingEvents = [ImageAcquiredEvent, ProtocolDeviationDetectedEvent, PreprocessingAppliedEvent] as const;
export type ImagingEvent = ImageAcquired | ProtocolDeviationDetected | PreprocessingApplied;
