import type { RadiomicsSettings } from '@radledger/radiomics';
import type { IbsiSettings } from './features.commands.js';

/**
 * The extractor-independent IBSI summary that FeaturesComputed.settings records, from
 * RadLedger's own extractor configuration (record the full object in `extractorSettings`).
 * Open re-segmentation bounds become ±Number.MAX_VALUE (JSON has no infinity); of several
 * texture aggregations the first is named here, all stay in `extractorSettings`.
 */
export function ibsiSettingsSummary(s: RadiomicsSettings): IbsiSettings {
  const r = s.resampling;
  const d = s.discretisation.textureAndHistogram;
  const range = s.reSegmentation.range;
  const outlier = s.reSegmentation.outlierFiltering;
  return {
    resamplingMm: r.method === 'none' ? null : [r.spacing[0], r.spacing[1], r.spacing[2]],
    interpolation:
      r.method === 'none'
        ? { image: 'none', mask: 'none', maskThreshold: null }
        : { image: r.imageInterpolation === 'cubic-spline' ? 'bspline' : r.imageInterpolation, mask: r.maskInterpolation, maskThreshold: r.partialVolumeThreshold },
    discretisation:
      d.method === 'fixed-bin-size'
        ? { method: 'fixed-bin-size', binWidth: d.width, binCount: null }
        : d.method === 'fixed-bin-number'
          ? { method: 'fixed-bin-number', binWidth: null, binCount: d.bins }
          : { method: 'none', binWidth: null, binCount: null },
    resegmentationRange: range === null ? null : { min: range[0] ?? -Number.MAX_VALUE, max: range[1] ?? Number.MAX_VALUE },
    outlierSigma: outlier.method === 'sigma' ? outlier.sigma : null,
    aggregation: s.texture.aggregation[0] ?? '3D-merged',
  };
}
