import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';
import { IMAGING_MODALITIES } from './imaging-modality.js';

export const AcquireImageInput = S.obj({
  imageId: S.optional(S.id('Default: generated (deterministic when options.commandId is given).')),
  trialId: S.id(),
  siteId: S.id(),
  subjectId: S.pseudonym(),
  modality: S.oneOf(IMAGING_MODALITIES),
  scanner: S.obj({ vendor: S.text(100), model: S.text(100) }),
  fieldStrengthT: S.num(),
  trMs: S.num(),
  teMs: S.num(),
  sliceThicknessMm: S.num(),
  contrast: S.optional(S.obj({ agent: S.text(100), injectionRateMlPerS: S.num(), delayS: S.num() })),
  artifactSha256: S.sha256('sha256 of the uploaded image answered by POST /artifacts (NIfTI/DICOM).'),
  studyUidHash: S.optional(S.sha256('De-identified DICOM Study UID: its sha256, never the UID.')),
  seriesUidHash: S.optional(S.sha256('De-identified DICOM Series UID: its sha256, never the UID.')),
});
export type AcquireImageData = Static<typeof AcquireImageInput>;

export const ApplyPreprocessingInput = S.obj({
  imageId: S.id(),
  stepId: S.optional(S.id()),
  tool: S.freeText(100),
  toolVersion: S.freeText(50),
  parameters: S.json('Tool parameters as JSON; scanned for PHI keys and values.'),
  inputSha256: S.sha256(),
  outputSha256: S.sha256(),
});

export type AcquireImage = Command<'AcquireImage', AcquireImageData>;
export type ApplyPreprocessing = Command<'ApplyPreprocessing', Static<typeof ApplyPreprocessingInput>>;

/** The QC result the application computed from the image's bytes (assessImageQuality). */
export const RecordImageQualityInput = S.obj({
  imageId: S.id(),
  imageSha256: S.sha256(),
  snr: S.nullable(S.num()),
  cnr: S.nullable(S.num()),
  ghostToSignalRatio: S.nullable(S.num()),
  ghostAxis: S.nullable(S.text(10)),
  metadataCompleteness: S.num({ minimum: 0, maximum: 1 }),
  missingMetadata: S.list(S.text(100)),
  thresholds: S.obj({ minSnr: S.num(), minCnr: S.num(), maxGhostToSignalRatio: S.num(), minMetadataCompleteness: S.num() }),
  failures: S.list(S.obj({ check: S.text(50), detail: S.text(500) })),
  software: S.obj({ name: S.text(100), version: S.text(50) }),
});
export type RecordImageQuality = Command<'RecordImageQuality', Static<typeof RecordImageQualityInput>>;

export const AssessImageQualityRequest = S.obj({
  imageId: S.id(),
  imageSha256: S.optional(S.sha256('Which version (default: the acquired bytes).')),
  thresholds: S.optional(
    S.named(
      'ImageQcThresholdsInput',
      S.obj({
        minSnr: S.optional(S.num({ minimum: 0 })),
        minCnr: S.optional(S.num({ minimum: 0 })),
        maxGhostToSignalRatio: S.optional(S.num({ minimum: 0, maximum: 1 })),
        minMetadataCompleteness: S.optional(S.num({ minimum: 0, maximum: 1 })),
      }),
    ),
  ),
});
export type AssessImageQualityRequest = Static<typeof AssessImageQualityRequest>;

export type ImagingCommand = AcquireImage | ApplyPreprocessing | RecordImageQuality;
