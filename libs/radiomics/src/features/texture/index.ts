/**
 * IBSI texture families (IBSI 3.6–3.11): GLCM, GLRLM, GLSZM, GLDZM, NGTDM, NGLDM, each with
 * every IBSI aggregation method. Features are keyed `<IBSI code>@<aggregation code>`.
 */
export {
  AGGREGATION_NAMES,
  MATRIX_AGGREGATIONS,
  SLICE_AGGREGATIONS,
  directionVectors,
  type DirectionVector,
  type MatrixAggregation,
  type SliceAggregation,
  type TextureDimension,
} from './texture-grid.js';
export { countAt, mergeCountMatrices, type CountMatrix, type SliceCountMatrix } from './count-matrix.js';
export * from './glcm.features.js';
export * from './glrlm.features.js';
export * from './glszm.features.js';
export {
  computeGldzmFeatures,
  gldzmFeatureDefinitions,
  gldzmFeatureVector,
  gldzmMatrices,
  type GldzmMatrix,
  type GldzmOptions,
} from './gldzm.features.js';
export * from './ngtdm.features.js';
export * from './ngldm.features.js';
