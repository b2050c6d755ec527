/**
 * Voxel grids as the feature families see them. Index of voxel (x, y, z) is
 * x + nx * (y + ny * z): x varies fastest, slices are z-planes of the voxel grid.
 */
export type Dims = readonly [nx: number, ny: number, nz: number];
export type Spacing = readonly [sx: number, sy: number, sz: number];

export interface Volume {
  dims: Dims;
  /** Voxel spacing in mm. */
  spacing: Spacing;
  data: Float64Array;
}

export interface Mask {
  dims: Dims;
  spacing: Spacing;
  /** 1 inside the ROI, 0 outside. */
  data: Uint8Array;
}

/**
 * The discretised intensity ROI that texture families consume: grey levels 1..nGreyLevels
 * inside the ROI, 0 outside it (IBSI 2.7). Grey levels absent from the ROI still count
 * in nGreyLevels (IBSI: N_g is the number of discretised grey levels, not those present).
 */
export interface DiscretisedRoi {
  dims: Dims;
  spacing: Spacing;
  levels: Int32Array;
  nGreyLevels: number;
}

/** A feature's identity: IBSI code, and the PyRadiomics name where PyRadiomics has it. */
export interface FeatureDefinition {
  code: string;
  name: string;
  family: FeatureFamily;
  pyradiomicsName?: string;
}

/** The IBSI feature families in IBSI chapter 3 order: the order they are computed and reported in. */
export const ALL_FEATURE_FAMILIES = [
  'morphology',
  'local-intensity',
  'intensity-statistics',
  'intensity-histogram',
  'intensity-volume-histogram',
  'glcm',
  'glrlm',
  'glszm',
  'gldzm',
  'ngtdm',
  'ngldm',
] as const;

export type FeatureFamily = (typeof ALL_FEATURE_FAMILIES)[number];

/** Feature values keyed by IBSI code, or `<code>@<aggregation code>` for texture features. */
export type FeatureValues = Record<string, number>;
