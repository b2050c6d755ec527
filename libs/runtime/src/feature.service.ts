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
  assertSameGrid,
  extractFeatures,
  maskFromLabels,
  parseRadiomicsSettings,
  readNifti,
  type FeatureValues,
  type RadiomicsSettings,
} from '@radledger/radiomics';
import { RADLEDGER_EXTRACTOR } from './software-version.js';

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
}

interface RecordedFeatureSet {
  featureSetId: string;
  imageSha256: string;
  maskSha256: string;
  settings: unknown;
  /** The exact extractor configuration (RadLedger-computed sets). */
  extractorSettings?: unknown;
  features: Record<string, number>;
  resultSha256: string;
  reproducible: boolean;
  label?: number;
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
          features,
          provenance: 'computed',
        },
      },
      metadata,
    );
  }

  /** Re-computes a recorded feature set from its stored inputs and settings; MATCH means the same result hash. */
  async reproduce(featureSetId: string): Promise<FeatureReproduction> {
    const recorded = await this.recorded(featureSetId);
    if (!recorded.reproducible) {
      return { featureSetId, status: 'NOT_REPRODUCIBLE', reason: 'the feature set was imported (attested), not computed by RadLedger', recordedResultSha256: recorded.resultSha256, differences: [] };
    }
    let recomputed: FeatureValues;
    try {
      recomputed = await this.extract(recorded.imageSha256, recorded.maskSha256, parseRadiomicsSettings(recorded.extractorSettings ?? recorded.settings), recorded.label);
    } catch (error) {
      return { featureSetId, status: 'NOT_REPRODUCIBLE', reason: (error as Error).message, recordedResultSha256: recorded.resultSha256, differences: [] };
    }
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
    };
  }

  private async extract(imageSha256: string, maskSha256: string, settings: RadiomicsSettings, label?: number): Promise<FeatureValues> {
    if (!/^[0-9a-f]{64}$/.test(imageSha256)) throw new ValidationError('INVALID_SHA256', `imageSha256: expected 64 lowercase hex characters`, { field: 'imageSha256' });
    const image = readNifti(await this.deps.artifacts.get(imageSha256), `image ${imageSha256.slice(0, 12)}`);
    const labels = readNifti(await this.deps.artifacts.get(maskSha256), `mask ${maskSha256.slice(0, 12)}`);
    assertSameGrid(image.geometry, labels.geometry);
    const mask = maskFromLabels(labels, label);
    return finiteOnly(extractFeatures(image.volume, mask, settings).features);
  }

  private async recorded(featureSetId: string): Promise<RecordedFeatureSet> {
    const events = await this.deps.store.readStream(streamIds.featureSet(featureSetId));
    const computed = events.find((e) => e.type === 'FeaturesComputed');
    if (!computed) throw new NotFoundError(`featureSetId: no feature set ${featureSetId}`, { field: 'featureSetId' });
    return computed.data as unknown as RecordedFeatureSet;
  }
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
