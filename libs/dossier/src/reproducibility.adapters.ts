import type { IbsiSettings } from '@radledger/domain';
import type { LockedModelRunner } from '@radledger/inference';
import { defaultRadiomicsSettings, extractFeatures, maskFromLabels, readNifti, type RadiomicsSettings } from '@radledger/radiomics';
import type { DecisionRerunner, FeatureRecomputer } from './reproducibility.js';

/**
 * RadiomicsSettings from what FeaturesComputed records (libs/domain IbsiSettings). The event
 * records the settings that change values most (resampling, interpolation, discretisation,
 * re-segmentation, aggregation); everything else comes from `base` and is listed in the
 * result's `assumptions`, so a reader sees which inputs were not in the ledger.
 */
export function radiomicsSettingsFromRecorded(recorded: IbsiSettings, base: RadiomicsSettings = defaultRadiomicsSettings()): { settings: RadiomicsSettings; assumptions: string[] } {
  const interpolation = (i: IbsiSettings['interpolation']['image']): 'nearest' | 'linear' | 'cubic-spline' => (i === 'nearest' ? 'nearest' : i === 'cubic' || i === 'bspline' ? 'cubic-spline' : 'linear');
  const d = recorded.discretisation;
  const lowerBound = recorded.resegmentationRange && Math.abs(recorded.resegmentationRange.min) < Number.MAX_VALUE ? recorded.resegmentationRange.min : null;
  const finite = (v: number) => (Math.abs(v) >= Number.MAX_VALUE ? null : v);
  const settings: RadiomicsSettings = {
    ...base,
    resampling:
      recorded.resamplingMm === null
        ? { method: 'none' }
        : {
            method: 'resample',
            spacing: recorded.resamplingMm,
            imageInterpolation: interpolation(recorded.interpolation.image),
            maskInterpolation: recorded.interpolation.mask === 'linear' ? 'linear' : 'nearest',
            partialVolumeThreshold: recorded.interpolation.maskThreshold ?? 0.5,
            intensityRounding: 'none',
          },
    reSegmentation: {
      range: recorded.resegmentationRange ? [finite(recorded.resegmentationRange.min), finite(recorded.resegmentationRange.max)] : null,
      outlierFiltering: recorded.outlierSigma === null ? { method: 'none' } : { method: 'sigma', sigma: recorded.outlierSigma },
    },
    discretisation: {
      ...base.discretisation,
      textureAndHistogram: d.method === 'fixed-bin-size' ? { method: 'fixed-bin-size', width: d.binWidth ?? 1, lowerBound } : { method: 'fixed-bin-number', bins: d.binCount ?? 32 },
    },
    texture: { ...base.texture, aggregation: [recorded.aggregation] },
  };
  const assumptions = [
    `sliceMode ${base.sliceMode}`,
    `intensity normalisation ${base.intensityNormalisation.method}`,
    `intensity-volume histogram discretisation ${JSON.stringify(base.discretisation.intensityVolumeHistogram)}`,
    `texture distances glcm ${base.texture.glcmDistance} ngtdm ${base.texture.ngtdmDistance} ngldm ${base.texture.ngldmDistance} (alpha ${base.texture.ngldmCoarseness}), zone linkage ${base.texture.zoneLinkageDistance}`,
    `morphology spatial autocorrelation sample ${base.morphology.spatialAutocorrelationMaxVoxels} voxels`,
    `families ${base.families.join(', ')}`,
  ];
  return { settings, assumptions };
}

/** Feature re-computation with libs/radiomics: NIfTI image and label mask from the artifact store. */
export function radiomicsFeatureRecomputer(options: { baseSettings?: RadiomicsSettings } = {}): FeatureRecomputer {
  return {
    name: 'libs/radiomics extractFeatures',
    async recompute({ featureSet, image, mask }) {
      const { settings, assumptions } = radiomicsSettingsFromRecorded(featureSet.settings, options.baseSettings);
      const volume = readNifti(image, `image ${featureSet.imageSha256}`).volume;
      const roi = maskFromLabels(readNifti(mask, `mask ${featureSet.maskSha256}`));
      const extraction = extractFeatures(volume, roi, settings);
      return { features: extraction.features, assumptions: [`settings not recorded in FeaturesComputed, taken from the base settings: ${assumptions.join('; ')}`] };
    },
  };
}

/**
 * Decision re-run with libs/inference LockedModelRunner: the bytes must still hash to the
 * recorded sha256 (the runner refuses otherwise). Outputs are flattened the way they are
 * recorded (`name` for one value, `name.i` for a row of several).
 */
export function lockedModelDecisionRerunner(runner: Pick<LockedModelRunner, 'decide'>, options: { labels?: (modelId: string) => { positive: string; negative: string } | undefined } = {}): DecisionRerunner {
  return {
    name: 'libs/inference LockedModelRunner',
    async rerun({ decision, model, features }) {
      // The locked decision rule (threshold, labels, probability column) is part of the registration when recorded.
      const rule = (model as { decisionRule?: { positiveLabel: string; negativeLabel: string; probabilityOutput?: { name: string; column: number } } }).decisionRule;
      const labels = rule ? { positive: rule.positiveLabel, negative: rule.negativeLabel } : options.labels?.(decision.modelId);
      const result = await runner.decide(
        {
          expectedSha256: decision.modelSha256,
          featureCodes: model.featureCodes,
          threshold: decision.threshold,
          ...(labels ? { labels } : {}),
          ...(rule?.probabilityOutput ? { probabilityOutput: rule.probabilityOutput } : {}),
        },
        features,
      );
      const outputs: Record<string, number> = {};
      for (const [name, values] of Object.entries(result.outputs)) {
        if (values.length === 1) outputs[name] = values[0]!;
        else values.forEach((v, i) => (outputs[`${name}.${i}`] = v));
      }
      // Without the label names, the decision is compared as the side of the threshold.
      const decided = labels ? result.decision : (result.probability >= decision.threshold) === recordedPositive(decision) ? decision.decision : `other side of threshold ${decision.threshold}`;
      return { outputs, decision: decided, modelSha256: result.verifiedSha256 };
    },
  };
}

function recordedPositive(decision: { outputs: Record<string, number>; threshold: number }): boolean {
  const p = decision.outputs['probability'] ?? Object.values(decision.outputs)[0] ?? 0;
  return p >= decision.threshold;
}
