import { intensityHistogramDefinitions } from '../features/intensity-histogram.features.js';
import { intensityStatisticsDefinitions } from '../features/intensity-statistics.features.js';
import { intensityVolumeHistogramDefinitions } from '../features/intensity-volume-histogram.features.js';
import { localIntensityDefinitions } from '../features/local-intensity.features.js';
import { morphologyDefinitions } from '../features/morphology.features.js';
import {
  AGGREGATION_NAMES,
  glcmFeatureDefinitions,
  gldzmFeatureDefinitions,
  glrlmFeatureDefinitions,
  glszmFeatureDefinitions,
  ngldmFeatureDefinitions,
  ngtdmFeatureDefinitions,
} from '../features/texture/index.js';
import {
  DIRECTIONAL_AGGREGATION_CODES,
  ZONE_AGGREGATION_CODES,
  type RadiomicsSettings,
} from '../settings/radiomics-settings.js';
import type { FeatureDefinition, FeatureFamily } from '../volume.js';

/** Every feature the extractor knows, per family, in output order. */
export const FEATURE_DEFINITIONS: Readonly<Record<FeatureFamily, readonly FeatureDefinition[]>> = {
  morphology: morphologyDefinitions,
  'local-intensity': localIntensityDefinitions,
  'intensity-statistics': intensityStatisticsDefinitions,
  'intensity-histogram': intensityHistogramDefinitions,
  'intensity-volume-histogram': intensityVolumeHistogramDefinitions,
  glcm: glcmFeatureDefinitions,
  glrlm: glrlmFeatureDefinitions,
  glszm: glszmFeatureDefinitions,
  gldzm: gldzmFeatureDefinitions,
  ngtdm: ngtdmFeatureDefinitions,
  ngldm: ngldmFeatureDefinitions,
};

export const TEXTURE_FAMILIES: readonly FeatureFamily[] = ['glcm', 'glrlm', 'glszm', 'gldzm', 'ngtdm', 'ngldm'];
const DIRECTIONAL: ReadonlySet<FeatureFamily> = new Set(['glcm', 'glrlm']);

/** Aggregation codes a texture family computes under the given settings (IBSI order). */
export function aggregationCodesFor(family: FeatureFamily, settings: RadiomicsSettings): string[] {
  const chosen = settings.texture.aggregation;
  if (DIRECTIONAL.has(family)) {
    return (Object.keys(DIRECTIONAL_AGGREGATION_CODES) as Array<keyof typeof DIRECTIONAL_AGGREGATION_CODES>)
      .filter((a) => chosen.includes(a))
      .map((a) => DIRECTIONAL_AGGREGATION_CODES[a]);
  }
  const codes: string[] = [];
  if (chosen.some((a) => a.startsWith('2D'))) codes.push(ZONE_AGGREGATION_CODES['2D']);
  if (chosen.some((a) => a.startsWith('2.5D'))) codes.push(ZONE_AGGREGATION_CODES['2.5D']);
  if (chosen.some((a) => a.startsWith('3D'))) codes.push(ZONE_AGGREGATION_CODES['3D']);
  return codes;
}

/** Output keys and names under the settings: `<code>` or `<code>@<aggregation code>`. */
export function featureNames(settings: RadiomicsSettings): Record<string, string> {
  const names: Record<string, string> = {};
  for (const family of settings.families) {
    const defs = FEATURE_DEFINITIONS[family];
    if (TEXTURE_FAMILIES.includes(family)) {
      for (const agg of aggregationCodesFor(family, settings)) {
        const aggName = AGGREGATION_NAMES[agg as keyof typeof AGGREGATION_NAMES];
        for (const d of defs) names[`${d.code}@${agg}`] = `${family.toUpperCase()} ${d.name} (${aggName})`;
      }
    } else {
      for (const d of defs) names[d.code] = d.name;
    }
  }
  return names;
}

/** Looks a key up: its definition and aggregation code (texture), for PyRadiomics mapping. */
export function featureDefinitionOf(key: string): { definition: FeatureDefinition; aggregation?: string } | undefined {
  const [code, aggregation] = key.split('@');
  for (const defs of Object.values(FEATURE_DEFINITIONS)) {
    const definition = defs.find((d) => d.code === code);
    if (definition && (aggregation === undefined) === !TEXTURE_FAMILIES.includes(definition.family)) {
      return aggregation === undefined ? { definition } : { definition, aggregation };
    }
  }
  return undefined;
}
