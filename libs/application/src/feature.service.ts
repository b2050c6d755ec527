import { NotFoundError, ValidationError } from '@radledger/platform';
import type { ArtifactStore } from '@radledger/artifacts';
import type { EventStore } from '@radledger/ledger';
import {
  featureResultSha256,
  ibsiSettingsSummary,
  loadAggregate,
  segmentationDecider,
  streamIds,
  type CommandMetadata,
  type CommandResult,
  type CommandService,
} from '@radledger/domain';
import {
  extractFeatures,
  parseRadiomicsSettings,
  readStoredImage,
  readStoredMask,
  type FeatureValues,
  type RadiomicsSettings,
} from '@radledger/radiomics';
import { RADLEDGER_EXTRACTOR } from './software-version.js';
import { reproductionSettings, type ReproductionSettings } from './recorded-feature-settings.js';

export interface ComputeFeatureSetInput {
  featureSetId?: string;
  imageId: string;
  /** The exact image version; default: the version the mask was drawn on. */
  imageSha256?: string;
  segmentationId: string;
  maskVersionId: string;
  /** The whole IBSI configuration (validated against schemas/radiomics-settings.schema.json). */
  settings: unknown;
  /** Mask label to use; default any nonzero voxel. */
  label?: number;
}

export interface FeatureDifference {
  key: string;
  recorded: number | null;
  recomputed: number | null;
}

export interface FeatureReproduction {
  featureSetId: string;
  status: 'MATCH' | 'MISMATCH' | 'NOT_REPRODUCIBLE';
  reason?: string;
  recordedResultSha256: string;
  recomputedResultSha256?: string;
  differences: FeatureDifference[];
  /** Which recorded settings the re-computation used (see ReproductionSettings). */
  settingsSource?: ReproductionSettings['settingsSource'];
  /** Settings not in the event, taken from the defaults (older events without extractorSettings). */
  assumptions?: string[];
}

/** What a re-computation needs from a FeaturesComputed event (its data satisfies this). */
export interface RecordedFeatureInputs {
  imageSha256: string;
  maskSha256: string;
  /** The IBSI summary (libs/domain IbsiSettings). */
  settings: unknown;
  /** The exact extractor configuration (RadLedger-computed sets; absent or null in older events). */
  extractorSettings?: unknown;
  /** The mask label recorded with the set (absent or null: any nonzero voxel). */
  maskLabel?: number | null;
}

/** A re-computed feature set and the settings it was re-computed with. */
export interface FeatureRecomputation {
  features: FeatureValues;
  settingsSource: ReproductionSettings['settingsSource'];
  assumptions: string[];
}

interface RecordedFeatureSet extends RecordedFeatureInputs {
  featureSetId: string;
  features: Record<string, number>;
  resultSha256: string;
  reproducible: boolean;
}

/**
 * Feature sets computed by RadLedger itself (IBSI pipeline in libs/radiomics) from the
 * image and mask versions in the artifact store, recorded with every setting, and
 * re-computable from the ledger alone.
 */
export class FeatureService {
  constructor(private readonly deps: { store: EventStore; artifacts: Pick<ArtifactStore, 'get'>; commands: CommandService }) {}

  /** Loads the inputs from the artifact store, computes every requested family, and records FeaturesComputed. */
  async compute(input: ComputeFeatureSetInput, metadata: CommandMetadata): Promise<CommandResult> {
    const settings = parseRadiomicsSettings(input.settings);
    const segmentation = await loadAggregate(this.deps.store, streamIds.segmentation(input.segmentationId), segmentationDecider);
    if (segmentation.state.segmentationId === null) {
      throw new NotFoundError(`segmentationId: no segmentation ${input.segmentationId}`, { field: 'segmentationId' });
    }
    const version = segmentation.state.versions[input.maskVersionId];
    if (!version) throw new NotFoundError(`maskVersionId: segmentation ${input.segmentationId} has no version ${input.maskVersionId}`, { field: 'maskVersionId' });
    const imageSha256 = input.imageSha256 ?? segmentation.state.imageSha256 ?? '';
    const features = await this.extract(imageSha256, version.maskSha256, settings, input.label);
    return this.deps.commands.execute(
      {
        type: 'ComputeFeatures',
        data: {
          ...(input.featureSetId ? { featureSetId: input.featureSetId } : {}),
          imageId: input.imageId,
          imageSha256,
          segmentationId: input.segmentationId,
          maskVersionId: input.maskVersionId,
          extractor: { ...RADLEDGER_EXTRACTOR },
          // The summary the deciders check (IBSI steps at a glance) and the exact configuration run.
          settings: ibsiSettingsSummary(settings),
          extractorSettings: settings as unknown as Record<string, unknown>,
          ...(input.label === undefined ? {} : { maskLabel: input.label }),
          features,
          provenance: 'computed',
        },
      },
      metadata,
    );
  }

  /** `recomputeFeatureSet` on this service's artifact store. */
  async recompute(recorded: RecordedFeatureInputs): Promise<FeatureRecomputation> {
    return recomputeFeatureSet(this.deps.artifacts, recorded);
  }

  /** Re-computes a recorded feature set from its stored inputs and settings; MATCH means the same result hash. */
  async reproduce(featureSetId: string): Promise<FeatureReproduction> {
    const recorded = await this.recorded(featureSetId);
    if (!recorded.reproducible) {
      return { featureSetId, status: 'NOT_REPRODUCIBLE', reason: 'the feature set was imported (attested), not computed by RadLedger', recordedResultSha256: recorded.resultSha256, differences: [] };
    }
    let again: FeatureRecomputation;
    try {
      again = await this.recompute(recorded);
    } catch (error) {
      return { featureSetId, status: 'NOT_REPRODUCIBLE', reason: (error as Error).message, recordedResultSha256: recorded.resultSha256, differences: [] };
    }
    const recomputed = again.features;
    const recomputedResultSha256 = featureResultSha256(recomputed);
    const keys = [...new Set([...Object.keys(recorded.features), ...Object.keys(recomputed)])].sort();
    const differences = keys
      .filter((key) => !Object.is(recorded.features[key], recomputed[key]))
      .map((key) => ({ key, recorded: recorded.features[key] ?? null, recomputed: recomputed[key] ?? null }));
    return {
      featureSetId,
      status: recomputedResultSha256 === recorded.resultSha256 && differences.length === 0 ? 'MATCH' : 'MISMATCH',
      recordedResultSha256: recorded.resultSha256,
      recomputedResultSha256,
      differences,
      settingsSource: again.settingsSource,
      ...(again.assumptions.length > 0 ? { assumptions: again.assumptions } : {}),
    };
  }

  private async extract(imageSha256: string, maskSha256: string, settings: RadiomicsSettings, label?: number): Promise<FeatureValues> {
    return extractFromArtifacts(this.deps.artifacts, imageSha256, maskSha256, settings, label);
  }

  private async recorded(featureSetId: string): Promise<RecordedFeatureSet> {
    const events = await this.deps.store.readStream(streamIds.featureSet(featureSetId));
    const computed = events.find((e) => e.type === 'FeaturesComputed');
    if (!computed) throw new NotFoundError(`featureSetId: no feature set ${featureSetId}`, { field: 'featureSetId' });
    return computed.data as unknown as RecordedFeatureSet;
  }
}

/**
 * Re-computes a recorded feature set from its stored image and mask with the recorded
 * settings (`extractorSettings` when present, else the summary plus stated assumptions),
 * through the same extraction `FeatureService.compute` records with. The one re-computation
 * path: `reproduce` (query and CLI) and the dossier's reproducibility.json use it.
 */
export async function recomputeFeatureSet(artifacts: Pick<ArtifactStore, 'get'>, recorded: RecordedFeatureInputs): Promise<FeatureRecomputation> {
  const { settings, settingsSource, assumptions } = reproductionSettings(recorded);
  const features = await extractFromArtifacts(artifacts, recorded.imageSha256, recorded.maskSha256, settings, recorded.maskLabel ?? undefined);
  return { features, settingsSource, assumptions };
}

async function extractFromArtifacts(artifacts: Pick<ArtifactStore, 'get'>, imageSha256: string, maskSha256: string, settings: RadiomicsSettings, label?: number): Promise<FeatureValues> {
  if (!/^[0-9a-f]{64}$/.test(imageSha256)) throw new ValidationError('INVALID_SHA256', `imageSha256: expected 64 lowercase hex characters`, { field: 'imageSha256' });
  // Any stored image format (NIfTI, NRRD, a DICOM image) and mask (a label image on the same grid,
  // or a DICOM-SEG placed on the image, which must reference its series): issue 17.
  const image = await readStoredImage(await artifacts.get(imageSha256), `image ${imageSha256.slice(0, 12)}`);
  const mask = await readStoredMask(await artifacts.get(maskSha256), image, `mask ${maskSha256.slice(0, 12)}`, label);
  return finiteOnly(extractFeatures(image.volume, mask, settings).features);
}

/**
 * Features undefined on this ROI (e.g. a 2D texture aggregation on a one-slice mask) come back
 * as NaN; JSON and the result hash cannot carry NaN, so they are left out of the feature set.
 */
function finiteOnly(features: FeatureValues): FeatureValues {
  const out: FeatureValues = {};
  for (const [key, value] of Object.entries(features)) if (Number.isFinite(value)) out[key] = value;
  return out;
}
