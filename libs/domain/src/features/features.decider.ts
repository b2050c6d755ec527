import { createHash } from 'node:crypto';
import { IllegalStateError, NotFoundError, ValidationError } from '@radledger/platform';
import { canonicalJson } from '@radledger/ledger';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { optionalFreeText, requireFiniteNumber, requireId, requireOneOf, requireSha256, requireText } from '../shared/guards.js';
import type { ImageState } from '../imaging/imaging.decider.js';
import type { ImagingModality } from '../imaging/imaging-modality.js';
import type { SegmentationState } from '../segmentation/segmentation.decider.js';
import { PARTITIONS, type FeaturesCommand, type IbsiSettings, type Partition } from './features.commands.js';
import type { FeaturesEvent } from './features.events.js';

export interface FeatureSetState {
  featureSetId: string | null;
  trialId: string | null;
  siteId: string | null;
  subjectId: string | null;
  modality: ImagingModality | null;
  features: Readonly<Record<string, number>>;
  resultSha256: string | null;
  partition: Partition | null;
}

export interface FeaturesFacts {
  image?: ImageState;
  segmentation?: SegmentationState;
}

export function initialState(): FeatureSetState {
  return { featureSetId: null, trialId: null, siteId: null, subjectId: null, modality: null, features: {}, resultSha256: null, partition: null };
}

/** IBSI code, optionally `@` its aggregation code (e.g. `GYBY@IAZD`), or `family.name`. */
const FEATURE_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$/;

export function requireFeatureCode(field: string, code: unknown): string {
  if (typeof code !== 'string' || !FEATURE_CODE_RE.test(code)) {
    throw new ValidationError('INVALID_FEATURE_CODE', `${field}: expected an IBSI code (optionally @aggregation) or family.name, got ${JSON.stringify(code)}`, { field });
  }
  return code;
}

export function featureResultSha256(features: Record<string, number>): string {
  return createHash('sha256').update(canonicalJson(features)).digest('hex');
}

const nullable = <T>(field: string, v: T | null | undefined, check: (f: string, v: T) => T): T | null => (v === null || v === undefined ? null : check(field, v));

/** Every IBSI setting must be stated (null when the step was not applied): a feature value without them is not reproducible. */
export function requireIbsiSettings(s: IbsiSettings | undefined): IbsiSettings {
  if (s && typeof s === 'object' && 'schemaVersion' in s && !('aggregation' in s)) {
    throw new ValidationError('IBSI_SETTINGS_REQUIRED', 'settings: expected the IBSI summary (resamplingMm, interpolation, discretisation, resegmentationRange, outlierSigma, aggregation); put the extractor\'s own configuration (e.g. RadiomicsSettings) in extractorSettings', { field: 'settings' });
  }
  if (!s || typeof s !== 'object') throw new ValidationError('IBSI_SETTINGS_REQUIRED', 'settings: expected every IBSI setting (resamplingMm, interpolation, discretisation, resegmentationRange, outlierSigma, aggregation)', { field: 'settings' });
  for (const key of ['resamplingMm', 'interpolation', 'discretisation', 'resegmentationRange', 'outlierSigma', 'aggregation'] as const) {
    if (!(key in s)) throw new ValidationError('IBSI_SETTINGS_REQUIRED', `settings.${key}: expected a value (null when the step was not applied)`, { field: `settings.${key}` });
  }
  if (s.resamplingMm !== null && (!Array.isArray(s.resamplingMm) || s.resamplingMm.length !== 3)) {
    throw new ValidationError('IBSI_SETTINGS_INVALID', 'settings.resamplingMm: expected [x, y, z] in mm (z may be null) or null', { field: 'settings.resamplingMm' });
  }
  const resamplingMm =
    s.resamplingMm === null
      ? null
      : ([
          requireFiniteNumber('settings.resamplingMm[0]', s.resamplingMm[0], { min: 1e-6 }),
          requireFiniteNumber('settings.resamplingMm[1]', s.resamplingMm[1], { min: 1e-6 }),
          s.resamplingMm[2] === null ? null : requireFiniteNumber('settings.resamplingMm[2]', s.resamplingMm[2], { min: 1e-6 }),
        ] as [number, number, number | null]);
  const interpolation = {
    image: requireOneOf('settings.interpolation.image', s.interpolation?.image, ['nearest', 'linear', 'cubic', 'bspline', 'none'] as const),
    mask: requireOneOf('settings.interpolation.mask', s.interpolation?.mask, ['nearest', 'linear', 'none'] as const),
    maskThreshold: nullable('settings.interpolation.maskThreshold', s.interpolation?.maskThreshold, (f, v) => requireFiniteNumber(f, v, { min: 0, max: 1 })),
  };
  const method = requireOneOf('settings.discretisation.method', s.discretisation?.method, ['fixed-bin-size', 'fixed-bin-number', 'none'] as const);
  const binWidth = nullable('settings.discretisation.binWidth', s.discretisation?.binWidth, (f, v) => requireFiniteNumber(f, v, { min: 1e-9 }));
  const binCount = nullable('settings.discretisation.binCount', s.discretisation?.binCount, (f, v) => requireFiniteNumber(f, v, { min: 1 }));
  if (method === 'fixed-bin-size' && binWidth === null) throw new ValidationError('IBSI_SETTINGS_INVALID', 'settings.discretisation.binWidth: required for fixed-bin-size (IBSI 2.7)', { field: 'settings.discretisation.binWidth' });
  if (method === 'fixed-bin-number' && (binCount === null || !Number.isInteger(binCount))) {
    throw new ValidationError('IBSI_SETTINGS_INVALID', 'settings.discretisation.binCount: an integer is required for fixed-bin-number (IBSI 2.7)', { field: 'settings.discretisation.binCount' });
  }
  const r = s.resegmentationRange;
  const resegmentationRange = r === null ? null : { min: requireFiniteNumber('settings.resegmentationRange.min', r?.min), max: requireFiniteNumber('settings.resegmentationRange.max', r?.max) };
  return {
    resamplingMm,
    interpolation,
    discretisation: { method, binWidth, binCount },
    resegmentationRange,
    outlierSigma: nullable('settings.outlierSigma', s.outlierSigma, (f, v) => requireFiniteNumber(f, v, { min: 0 })),
    aggregation: requireOneOf('settings.aggregation', s.aggregation, ['2D-averaged', '2D-slice-merged', '2.5D-direction-merged', '2.5D-merged', '3D-averaged', '3D-merged'] as const),
  };
}

export function decide(command: FeaturesCommand, state: FeatureSetState, ctx: CommandContext<FeaturesFacts>): FeaturesEvent[] {
  switch (command.type) {
    case 'ComputeFeatures': {
      const d = command.data;
      const featureSetId = requireId('featureSetId', d.featureSetId);
      if (state.featureSetId !== null) throw new IllegalStateError('FEATURE_SET_ALREADY_EXISTS', `featureSetId: feature set ${featureSetId} already exists`, { field: 'featureSetId' });
      const imageId = requireId('imageId', d.imageId);
      const imageSha256 = requireSha256('imageSha256', d.imageSha256);
      const segmentationId = requireId('segmentationId', d.segmentationId);
      const maskVersionId = requireId('maskVersionId', d.maskVersionId);
      const image = ctx.facts.image;
      if (!image || image.imageId === null) throw new NotFoundError(`imageId: image ${imageId} does not exist`, { field: 'imageId' });
      if (!image.versions.includes(imageSha256)) throw new NotFoundError(`imageSha256: ${imageSha256} is not a version of image ${imageId}`, { field: 'imageSha256' });
      if (image.qc?.excludedFromFeatures) {
        // Issue 15: an image that failed QC is flagged and left out of feature sets.
        throw new IllegalStateError('IMAGE_QC_FAILED', `imageId: image ${imageId} failed image QC and is excluded from feature sets`, { field: 'imageId' });
      }
      const seg = ctx.facts.segmentation;
      if (!seg || seg.segmentationId === null) throw new NotFoundError(`segmentationId: segmentation ${segmentationId} does not exist`, { field: 'segmentationId' });
      const mask = seg.versions[maskVersionId];
      if (!mask) throw new NotFoundError(`maskVersionId: version ${maskVersionId} is not a version of segmentation ${segmentationId}`, { field: 'maskVersionId' });
      if (seg.imageId !== imageId) throw new ValidationError('MASK_IMAGE_MISMATCH', `segmentationId: segmentation ${segmentationId} was drawn on image ${seg.imageId}, not ${imageId}`, { field: 'segmentationId' });
      if (mask.review === 'rejected') throw new IllegalStateError('SEGMENTATION_REJECTED', `maskVersionId: version ${maskVersionId} was rejected in review`, { field: 'maskVersionId' });
      if (!d.extractor || typeof d.extractor !== 'object') throw new ValidationError('REQUIRED', 'extractor: expected { name, version }', { field: 'extractor' });
      const settings = requireIbsiSettings(d.settings);
      if (!d.features || typeof d.features !== 'object' || Object.keys(d.features).length === 0) {
        throw new ValidationError('FEATURES_MISSING', 'features: expected at least one feature value by IBSI code', { field: 'features' });
      }
      const features: Record<string, number> = {};
      for (const [code, value] of Object.entries(d.features)) {
        features[requireFeatureCode(`features.${code}`, code)] = requireFiniteNumber(`features.${code}`, value);
      }
      const provenance = requireOneOf('provenance', d.provenance, ['computed', 'imported'] as const);
      const extractorSettings = d.extractorSettings ?? null;
      if (extractorSettings !== null && (typeof extractorSettings !== 'object' || Array.isArray(extractorSettings))) {
        throw new ValidationError('IBSI_SETTINGS_INVALID', 'extractorSettings: expected an object', { field: 'extractorSettings' });
      }
      const maskLabel = d.maskLabel === undefined || d.maskLabel === null ? null : requireFiniteNumber('maskLabel', d.maskLabel, { min: 0 });
      return [
        {
          type: 'FeaturesComputed',
          data: {
            featureSetId,
            trialId: image.trialId ?? '',
            siteId: image.siteId ?? '',
            subjectId: image.subjectId ?? '',
            modality: image.modality ?? 'T1',
            imageId,
            imageSha256,
            segmentationId,
            maskVersionId,
            maskSha256: mask.maskSha256,
            extractor: { name: requireText('extractor.name', d.extractor.name, 100), version: requireText('extractor.version', d.extractor.version, 50) },
            settings,
            extractorSettings,
            ...(maskLabel === null ? {} : { maskLabel }),
            features,
            resultSha256: featureResultSha256(features),
            reproducible: provenance === 'computed',
            attested: provenance === 'imported',
          },
        },
      ];
    }
    case 'AssignFeatureSetPartition': {
      const d = command.data;
      const featureSetId = requireId('featureSetId', d.featureSetId);
      if (state.featureSetId === null) throw new NotFoundError(`featureSetId: feature set ${featureSetId} does not exist`, { field: 'featureSetId' });
      const partition = requireOneOf('partition', d.partition, PARTITIONS);
      if (state.partition === partition) throw new IllegalStateError('PARTITION_UNCHANGED', `partition: feature set ${featureSetId} is already in ${partition}`, { field: 'partition' });
      // FDA AI-enabled device software draft guidance §VIII: test data stays sequestered.
      if (state.partition === 'test') throw new IllegalStateError('TEST_PARTITION_SEALED', `partition: feature set ${featureSetId} is in the test partition and cannot be moved`, { field: 'partition' });
      const reason = optionalFreeText('reason', d.reason ?? ctx.reason) ?? null;
      if (state.partition !== null && reason === null) throw new ValidationError('REASON_REQUIRED', 'reason: moving a feature set between partitions needs a reason', { field: 'reason' });
      return [{ type: 'FeatureSetPartitionAssigned', data: { featureSetId, partition, previousPartition: state.partition, reason } }];
    }
    default:
      return assertUnreachable(command);
  }
}

export function evolve(state: FeatureSetState, event: FeaturesEvent): FeatureSetState {
  switch (event.type) {
    case 'FeaturesComputed': {
      const d = event.data;
      return { ...state, featureSetId: d.featureSetId, trialId: d.trialId, siteId: d.siteId, subjectId: d.subjectId, modality: d.modality, features: d.features, resultSha256: d.resultSha256 };
    }
    case 'FeatureSetPartitionAssigned':
      return { ...state, partition: event.data.partition };
    default:
      return ignoreUnknown(state, event);
  }
}

export const featuresDecider = { decide, evolve, initialState };
