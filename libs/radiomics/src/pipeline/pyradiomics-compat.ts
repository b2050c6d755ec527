import { marchingCubesBinary } from '../features/marching-cubes.js';
import { symmetricEigenvalueAt } from '../features/symmetric-eigen-bisection.js';
import { glcmMatrices } from '../features/texture/glcm.features.js';
import type { RadiomicsSettings } from '../settings/radiomics-settings.js';
import type { FeatureFamily, FeatureValues } from '../volume.js';
import { featureDefinitionOf } from './feature-registry.js';
import type { PreparedRoi } from './prepare-roi.js';

/**
 * The aggregation PyRadiomics reports per texture family (no force2D, weightingNorm None):
 * GLCM and GLRLM features per 3D direction, averaged over the 13 directions (IBSI ITBB);
 * GLSZM, GLDM (= NGLDM) and NGTDM over the whole 3D ROI (IBSI KOBO).
 */
export const PYRADIOMICS_AGGREGATION: Partial<Record<FeatureFamily, string>> = {
  glcm: 'ITBB',
  glrlm: 'ITBB',
  glszm: 'KOBO',
  ngtdm: 'KOBO',
  ngldm: 'KOBO',
};

/**
 * The PyRadiomics name of an IBSI key when PyRadiomics computes the same quantity: for
 * texture, only under PyRadiomics' aggregation (so the 3D-merged row of a GLCM feature
 * has none; only its 3D-averaged row does).
 */
export function pyradiomicsNameOf(key: string): string | undefined {
  const found = featureDefinitionOf(key);
  const name = found?.definition.pyradiomicsName;
  if (!found || !name) return undefined;
  if (found.aggregation === undefined) return name;
  return PYRADIOMICS_AGGREGATION[found.definition.family] === found.aggregation ? name : undefined;
}

/** PyRadiomics features without an IBSI code, or whose value differs from IBSI's by convention. */
export const PYRADIOMICS_ONLY_NAMES: Readonly<Record<string, string>> = {
  original_firstorder_Energy: 'Energy of intensity + voxelArrayShift (PyRadiomics)',
  original_firstorder_TotalEnergy: 'Energy × voxel volume (PyRadiomics)',
  original_firstorder_RootMeanSquared: 'Root mean square of intensity + voxelArrayShift (PyRadiomics)',
  original_firstorder_Kurtosis: 'Kurtosis, not in excess: IBSI IPH6 + 3 (PyRadiomics)',
  original_glcm_MCC: 'Maximal correlation coefficient, 3D averaged (PyRadiomics)',
  original_shape_Maximum2DDiameterSlice: 'Largest distance between mesh vertices of one axial plane (PyRadiomics)',
  original_shape_Maximum2DDiameterColumn: 'Largest distance between mesh vertices of one coronal plane (PyRadiomics)',
  original_shape_Maximum2DDiameterRow: 'Largest distance between mesh vertices of one sagittal plane (PyRadiomics)',
};

export interface PyradiomicsFeatureSet {
  features: FeatureValues;
  names: Record<string, string>;
  /** PyRadiomics name → the IBSI key of the same quantity (absent for PYRADIOMICS_ONLY_NAMES). */
  ibsiKeys: Record<string, string>;
}

/**
 * Re-keys an IBSI feature set by PyRadiomics names (features PyRadiomics has no name for
 * are left out) and adds PyRadiomics' own conventions: energy, total energy and RMS on
 * intensities + voxelArrayShift (firstorder.py), kurtosis = m4/m2² (IBSI IPH6 + 3) and the
 * GLCM maximal correlation coefficient.
 */
export function toPyradiomicsFeatures(
  ibsi: FeatureValues,
  ibsiNames: Record<string, string>,
  roi: PreparedRoi,
  settings: RadiomicsSettings,
): PyradiomicsFeatureSet {
  const features: FeatureValues = {};
  const names: Record<string, string> = {};
  const ibsiKeys: Record<string, string> = {};
  for (const [key, value] of Object.entries(ibsi)) {
    const name = pyradiomicsNameOf(key);
    if (!name || name in PYRADIOMICS_ONLY_NAMES) continue;
    features[name] = value;
    names[name] = `${ibsiNames[key] ?? key} (IBSI ${key})`;
    ibsiKeys[name] = key;
  }
  const shift = settings.compatibility?.mode === 'pyradiomics' ? settings.compatibility.voxelArrayShift : 0;
  if (settings.families.includes('intensity-statistics')) {
    let energy = 0;
    for (const v of roi.roiValues) energy += (v + shift) ** 2;
    const [sx, sy, sz] = roi.image.spacing;
    features.original_firstorder_Energy = energy;
    features.original_firstorder_TotalEnergy = energy * sx * sy * sz;
    features.original_firstorder_RootMeanSquared = Math.sqrt(energy / roi.roiValues.length);
    if ('IPH6' in ibsi) features.original_firstorder_Kurtosis = ibsi.IPH6! + 3;
  }
  if (settings.families.includes('glcm')) {
    features.original_glcm_MCC = maximalCorrelationCoefficient(roi, settings);
  }
  if (settings.families.includes('morphology')) {
    const [slice, column, row] = planeDiameters(roi);
    features.original_shape_Maximum2DDiameterSlice = slice;
    features.original_shape_Maximum2DDiameterColumn = column;
    features.original_shape_Maximum2DDiameterRow = row;
  }
  for (const name of Object.keys(PYRADIOMICS_ONLY_NAMES)) {
    if (name in features) names[name] = PYRADIOMICS_ONLY_NAMES[name]!;
  }
  return { features, names, ibsiKeys };
}

/**
 * PyRadiomics glcm.getMCCFeatureValue: per 3D direction, √(second largest eigenvalue of
 * Q(i,j) = Σ_k p(i,k) p(j,k) / (p_x(i) p_y(k))), averaged over the directions with pairs.
 * Q = D⁻¹ P E⁻¹ Pᵀ (D, E the marginals) is similar to the symmetric A Aᵀ with
 * A = D^-½ P E^-½, so a symmetric eigen solver gives its (real, non-negative) spectrum;
 * grey levels with p_x(i) = 0 add zero eigenvalues. A ROI with one grey level gives 1.
 */
export function maximalCorrelationCoefficient(roi: PreparedRoi, settings: RadiomicsSettings): number {
  const present = new Set<number>();
  for (const level of roi.roiLevels) present.add(level);
  if (present.size < 2) return 1;
  const { nGreyLevels: ng, matrices } = glcmMatrices(roi.texture, {
    dimension: '3D',
    distance: settings.texture.glcmDistance,
    symmetric: settings.texture.glcmSymmetric,
  });
  let sum = 0;
  let count = 0;
  for (const { counts } of matrices) {
    let total = 0;
    for (const c of counts) total += c;
    if (total === 0) continue;
    const px = new Float64Array(ng);
    const py = new Float64Array(ng);
    for (let i = 0; i < ng; i++) {
      for (let j = 0; j < ng; j++) {
        const p = counts[i * ng + j]! / total;
        px[i] = px[i]! + p;
        py[j] = py[j]! + p;
      }
    }
    const rows: number[] = [];
    const cols: number[] = [];
    for (let i = 0; i < ng; i++) {
      if (px[i]! > 0) rows.push(i);
      if (py[i]! > 0) cols.push(i);
    }
    const m = rows.length;
    const a = new Float64Array(m * cols.length);
    rows.forEach((i, r) => cols.forEach((k, c) => (a[r * cols.length + c] = counts[i * ng + k]! / total / Math.sqrt(px[i]! * py[k]!))));
    const s = new Float64Array(m * m);
    for (let r = 0; r < m; r++) {
      for (let q = r; q < m; q++) {
        let dot = 0;
        for (let c = 0; c < cols.length; c++) dot += a[r * cols.length + c]! * a[q * cols.length + c]!;
        s[r * m + q] = dot;
        s[q * m + r] = dot;
      }
    }
    const zeros = present.size - m;
    const second = m >= 2 ? Math.max(symmetricEigenvalueAt(s, m, m - 2), zeros > 0 ? 0 : -Infinity) : 0;
    sum += Math.sqrt(Math.max(0, second));
    count++;
  }
  return count ? sum / count : NaN;
}

/**
 * PyRadiomics cshape.c calculate_meshDiameter: the largest distance between two mesh
 * vertices that share their z (slice), y (column) or x (row) coordinate. The vertex set
 * (every edge midpoint between an inside and an outside voxel) does not depend on how a
 * marching-cubes implementation triangulates, so these agree exactly.
 */
function planeDiameters(roi: PreparedRoi): [slice: number, column: number, row: number] {
  const mask = roi.morphologicalMask;
  const { vertices } = marchingCubesBinary(mask.data, mask.dims);
  const [sx, sy, sz] = mask.spacing;
  const out: [number, number, number] = [0, 0, 0];
  // Axis 2 (z) → Slice, axis 1 (y) → Column, axis 0 (x) → Row.
  [2, 1, 0].forEach((axis, which) => {
    const groups = new Map<number, number[]>();
    for (let v = 0; v < vertices.length / 3; v++) {
      const key = vertices[3 * v + axis]!;
      const g = groups.get(key);
      if (g) g.push(v);
      else groups.set(key, [v]);
    }
    let best = 0;
    for (const g of groups.values()) {
      for (let a = 0; a < g.length; a++) {
        const i = 3 * g[a]!;
        for (let b = a + 1; b < g.length; b++) {
          const j = 3 * g[b]!;
          const d = (((vertices[i]! - vertices[j]!) * sx) ** 2 + ((vertices[i + 1]! - vertices[j + 1]!) * sy) ** 2 + ((vertices[i + 2]! - vertices[j + 2]!) * sz) ** 2) / 4;
          if (d > best) best = d;
        }
      }
    }
    out[which] = Math.sqrt(best);
  });
  return out;
}

/**
 * A feature set keyed by IBSI keys, whatever the extraction's keys: PyRadiomics-keyed
 * results (`ibsiKeys` present) are mapped back, and PyRadiomics-only values (energy with a
 * shift, kurtosis + 3, MCC, 2D diameters), which have no IBSI code, are left out. For
 * exports that code features by IBSI (DICOM SR).
 */
export function ibsiKeyedFeatures(extraction: { features: FeatureValues; ibsiKeys?: Record<string, string> }): FeatureValues {
  if (!extraction.ibsiKeys) return { ...extraction.features };
  const out: FeatureValues = {};
  for (const [name, value] of Object.entries(extraction.features)) {
    const key = extraction.ibsiKeys[name];
    if (key !== undefined) out[key] = value;
  }
  return out;
}
