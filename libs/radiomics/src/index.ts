export * from './volume.js';
export * from './radiomics.errors.js';
export * from './settings/radiomics-settings.js';
export { radiomicsSettingsSchema } from './settings/radiomics-settings.schema.js';
export * from './pipeline/extract-features.js';
export { prepareRoi, validateInputs, type PreparedRoi } from './pipeline/prepare-roi.js';
export {
  FEATURE_DEFINITIONS,
  TEXTURE_FAMILIES,
  aggregationCodesFor,
  featureDefinitionOf,
  featureNames,
} from './pipeline/feature-registry.js';
export * from './io/nifti.reader.js';
export * from './features/texture/index.js';
export * from './io/dicom-series.reader.js';
export * from './io/sniff-format.js';
export * from './io/dicom-deidentify.js';
export * from './io/nifti.writer.js';
