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
export * from './pipeline/pyradiomics-compat.js';
export * from './io/nifti.reader.js';
export * from './io/bounded-inflate.js';
export * from './io/image-size-limits.js';
export * from './io/nrrd.reader.js';
export * from './features/texture/index.js';
export * from './io/dicom-series.reader.js';
export * from './io/sniff-format.js';
export * from './io/dicom-deidentify.js';
export * from './io/nifti.writer.js';
export * from './features/morphology.features.js';
export * from './features/local-intensity.features.js';
export * from './features/intensity-statistics.features.js';
export * from './features/intensity-histogram.features.js';
export * from './features/intensity-volume-histogram.features.js';
export { marchingCubesBinary, type BinaryMesh } from './features/marching-cubes.js';
export { convexHull3d, type ConvexHull } from './features/convex-hull.js';
export {
  spatialAutocorrelationExact,
  spatialAutocorrelationSampled,
  type SpatialAutocorrelation,
} from './features/spatial-autocorrelation.js';
export { roiBounds, type RoiBounds } from './roi-bounds.js';
export { resampleGrid, resampleVolume, resampleMask, type ResampleGrid } from './preprocessing/resample.js';
export { discretise, type Discretised } from './preprocessing/discretise.js';
export * from './reliability/intraclass-correlation.js';
export * from './reliability/feature-reliability.js';
export * from './qc/image-quality.js';
export * from './qc/acquisition-metadata.js';
export { headMask, otsuThreshold } from './qc/head-mask.js';
export { loadDicomDecoders, SUPPORTED_TRANSFER_SYNTAXES } from './io/dicom-pixel-decoders.js';
export * from './dicom/dicom-seg.writer.js';
export * from './dicom/dicom-seg.reader.js';
export * from './dicom/dicom-sr.writer.js';
export { uidFromSeed } from './dicom/dicom-uid.js';
export type { Code } from './dicom/dicom-codes.js';
export { readStoredImage, readStoredMask } from './io/read-stored-image.js';
