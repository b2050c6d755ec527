import type { FeatureDefinition, FeatureValues, Mask, Volume } from '../volume.js';
import { convexHull3d } from './convex-hull.js';
import { roiBounds, type RoiBounds } from '../roi-bounds.js';
import { marchingCubesBinary } from './marching-cubes.js';
import { spatialAutocorrelationExact, spatialAutocorrelationSampled } from './spatial-autocorrelation.js';
import { symmetricEigenvalues3 } from './symmetric-eigen.js';

/**
 * IBSI 3.1 morphological features. The mesh comes from marching cubes on the zero-padded
 * morphological mask at iso-level 0.5 (IBSI 3.1, note 3 of libs/radiomics/testdata/ibsi-phantom/README.md);
 * V and A are the mesh volume and area in mm³ and mm².
 */
export const morphologyDefinitions: FeatureDefinition[] = [
  { code: 'RNU0', name: 'Volume (mesh)', family: 'morphology', pyradiomicsName: 'original_shape_MeshVolume' },
  { code: 'YEKZ', name: 'Volume (voxel counting)', family: 'morphology', pyradiomicsName: 'original_shape_VoxelVolume' },
  { code: 'C0JK', name: 'Surface area (mesh)', family: 'morphology', pyradiomicsName: 'original_shape_SurfaceArea' },
  { code: '2PR5', name: 'Surface to volume ratio', family: 'morphology', pyradiomicsName: 'original_shape_SurfaceVolumeRatio' },
  { code: 'SKGS', name: 'Compactness 1', family: 'morphology' },
  { code: 'BQWJ', name: 'Compactness 2', family: 'morphology' },
  { code: 'KRCK', name: 'Spherical disproportion', family: 'morphology' },
  { code: 'QCFX', name: 'Sphericity', family: 'morphology', pyradiomicsName: 'original_shape_Sphericity' },
  { code: '25C7', name: 'Asphericity', family: 'morphology' },
  { code: 'KLMA', name: 'Centre of mass shift', family: 'morphology' },
  { code: 'L0JK', name: 'Maximum 3D diameter', family: 'morphology', pyradiomicsName: 'original_shape_Maximum3DDiameter' },
  { code: 'TDIC', name: 'Major axis length', family: 'morphology', pyradiomicsName: 'original_shape_MajorAxisLength' },
  { code: 'P9VJ', name: 'Minor axis length', family: 'morphology', pyradiomicsName: 'original_shape_MinorAxisLength' },
  { code: '7J51', name: 'Least axis length', family: 'morphology', pyradiomicsName: 'original_shape_LeastAxisLength' },
  { code: 'Q3CK', name: 'Elongation', family: 'morphology', pyradiomicsName: 'original_shape_Elongation' },
  { code: 'N17B', name: 'Flatness', family: 'morphology', pyradiomicsName: 'original_shape_Flatness' },
  { code: 'PBX1', name: 'Volume density (axis-aligned bounding box)', family: 'morphology' },
  { code: 'R59B', name: 'Area density (axis-aligned bounding box)', family: 'morphology' },
  { code: '6BDE', name: 'Volume density (approximate enclosing ellipsoid)', family: 'morphology' },
  { code: 'RDD2', name: 'Area density (approximate enclosing ellipsoid)', family: 'morphology' },
  { code: 'R3ER', name: 'Volume density (convex hull)', family: 'morphology' },
  { code: '7T7F', name: 'Area density (convex hull)', family: 'morphology' },
  { code: '99N0', name: 'Integrated intensity', family: 'morphology' },
  { code: 'N365', name: "Moran's I index", family: 'morphology' },
  { code: 'NPT7', name: "Geary's C measure", family: 'morphology' },
];

export interface MorphologyInput {
  image: Volume;
  morphologicalMask: Mask;
  /** Intensity mask (after re-segmentation), same grid. */
  intensityMask: Uint8Array;
  /** See RadiomicsSettings.morphology.spatialAutocorrelationMaxVoxels: null = exact. */
  spatialAutocorrelationMaxVoxels: number | null;
  /** Axis-length PCA covariance: 'sample' (N − 1, default) or 'population' (1/N, PyRadiomics). */
  axisCovariance?: 'sample' | 'population';
  /** A box known to hold every voxel of both masks (spares the search over the whole grid). */
  within?: RoiBounds;
}

/** Surface area of an ellipsoid with semi-axes a ≥ b ≥ c, IBSI 3.1.21 series (20 terms). */
export function ellipsoidArea(a: number, b: number, c: number): number {
  const alpha = Math.sqrt(Math.max(0, 1 - (b * b) / (a * a)));
  const beta = Math.sqrt(Math.max(0, 1 - (c * c) / (a * a)));
  // Q_ν = (αβ)^ν P_ν((α²+β²)/(2αβ)) by the Legendre recurrence, free of division by αβ.
  const s = (alpha * alpha + beta * beta) / 2;
  const ab2 = alpha * alpha * beta * beta;
  let qPrev = 1;
  let q = s;
  let sum = 1; // ν = 0 term: Q_0/(1 − 0) = 1
  for (let nu = 1; nu <= 20; nu++) {
    sum += q / (1 - 4 * nu * nu);
    const qNext = ((2 * nu + 1) * s * q - nu * ab2 * qPrev) / (nu + 1);
    qPrev = q;
    q = qNext;
  }
  return 4 * Math.PI * a * b * sum;
}

export function computeMorphology(input: MorphologyInput): FeatureValues {
  const { image, morphologicalMask: mask, intensityMask } = input;
  const [nx, ny] = mask.dims;
  const [sx, sy, sz] = mask.spacing;
  const maskBounds = roiBounds(mask.dims, mask.data, input.within);
  // Every voxel of either mask lies in `all` (the intensity mask is normally a subset).
  const all = roiBounds(mask.dims, [mask.data, intensityMask], input.within);
  if (!maskBounds || !all) return Object.fromEntries(morphologyDefinitions.map((d) => [d.code, NaN]));
  const box = {
    x0: maskBounds.x0, y0: maskBounds.y0, z0: maskBounds.z0,
    nx: maskBounds.x1 - maskBounds.x0 + 1, ny: maskBounds.y1 - maskBounds.y0 + 1, nz: maskBounds.z1 - maskBounds.z0 + 1,
  };
  const crop = new Uint8Array(box.nx * box.ny * box.nz);
  for (let z = 0; z < box.nz; z++)
    for (let y = 0; y < box.ny; y++)
      for (let x = 0; x < box.nx; x++)
        crop[x + box.nx * (y + box.ny * z)] =
          mask.data[box.x0 + x + nx * (box.y0 + y + ny * (box.z0 + z))]!;

  const mesh = marchingCubesBinary(crop, [box.nx, box.ny, box.nz]);
  const nv = mesh.vertices.length / 3;
  // Vertex positions in mm (the crop/padding offset cancels out of every mesh feature).
  const vx = new Float64Array(nv);
  const vy = new Float64Array(nv);
  const vz = new Float64Array(nv);
  for (let i = 0; i < nv; i++) {
    vx[i] = (mesh.vertices[3 * i]! / 2) * sx;
    vy[i] = (mesh.vertices[3 * i + 1]! / 2) * sy;
    vz[i] = (mesh.vertices[3 * i + 2]! / 2) * sz;
  }
  const { volume: V, area: A } = meshMeasures(vx, vy, vz, mesh.triangles);

  const m = voxelMoments(image, mask, intensityMask, all, maskBounds);
  const { nMorph, nInt, intensitySum } = m;
  const gx = m.gx, gy = m.gy, gz = m.gz;
  const { wSum, wx, wy, wz, cxx, cyy, czz, cxy, cxz, cyz } = m;
  const dof = input.axisCovariance === 'population' ? nMorph : Math.max(1, nMorph - 1);
  const [l1, l2, l3] = symmetricEigenvalues3(cxx / dof, cyy / dof, czz / dof, cxy / dof, cxz / dof, cyz / dof);
  const lMajor = Math.max(0, l1), lMinor = Math.max(0, l2), lLeast = Math.max(0, l3);

  // Axis-aligned bounding box of the mesh.
  const ex = extent(vx), ey = extent(vy), ez = extent(vz);

  // Convex hull of the mesh vertices (exact in doubled index units).
  const hull = convexHull3d(mesh.vertices);
  let hullV = NaN;
  let hullA = NaN;
  let diameter = 0;
  if (hull) {
    const h = meshMeasures(vx, vy, vz, Int32Array.from(hull.triangles));
    hullV = h.volume;
    hullA = h.area;
    diameter = maximumDistance(vx, vy, vz, Int32Array.from(hull.vertexIndices));
  }

  const aSemi = 2 * Math.sqrt(lMajor), bSemi = 2 * Math.sqrt(lMinor), cSemi = 2 * Math.sqrt(lLeast);
  const meanIntensity = intensitySum / nInt;
  const maxVoxels = input.spatialAutocorrelationMaxVoxels;
  const { moranI, gearyC } =
    maxVoxels === null
      ? spatialAutocorrelationExact(image, intensityMask, all)
      : spatialAutocorrelationSampled(image, intensityMask, maxVoxels);
  const comShift = Math.hypot(gx - wx / wSum, gy - wy / wSum, gz - wz / wSum);
  const values: FeatureValues = {
    RNU0: V,
    YEKZ: nMorph * sx * sy * sz, // IBSI 3.1.2: N_v · voxel volume
    C0JK: A,
    '2PR5': A / V, // IBSI 3.1.4
    SKGS: V / (Math.sqrt(Math.PI) * Math.pow(A, 1.5)), // IBSI 3.1.5: V/(π^½ A^{3/2})
    BQWJ: (36 * Math.PI * V * V) / (A * A * A), // IBSI 3.1.6: 36πV²/A³
    KRCK: A / Math.cbrt(36 * Math.PI * V * V), // IBSI 3.1.7: A/(36πV²)^{1/3}
    QCFX: Math.cbrt(36 * Math.PI * V * V) / A, // IBSI 3.1.8: (36πV²)^{1/3}/A
    '25C7': Math.cbrt((A * A * A) / (36 * Math.PI * V * V)) - 1, // IBSI 3.1.9
    KLMA: comShift, // IBSI 3.1.10: ‖CoM_geom − CoM_gl‖
    L0JK: diameter, // IBSI 3.1.11: max vertex distance (on convex hull vertices)
    TDIC: 4 * Math.sqrt(lMajor), // IBSI 3.1.12: 4√λ_major
    P9VJ: 4 * Math.sqrt(lMinor), // IBSI 3.1.13
    '7J51': 4 * Math.sqrt(lLeast), // IBSI 3.1.14
    Q3CK: Math.sqrt(lMinor / lMajor), // IBSI 3.1.15: √(λ_minor/λ_major)
    N17B: Math.sqrt(lLeast / lMajor), // IBSI 3.1.16: √(λ_least/λ_major)
    PBX1: V / (ex * ey * ez), // IBSI 3.1.17
    R59B: A / (2 * (ex * ey + ex * ez + ey * ez)), // IBSI 3.1.18
    '6BDE': V / ((4 * Math.PI * aSemi * bSemi * cSemi) / 3), // IBSI 3.1.19: a=2√λ_major, …
    RDD2: A / ellipsoidArea(aSemi, bSemi, cSemi), // IBSI 3.1.20
    R3ER: V / hullV, // IBSI 3.1.25
    '7T7F': A / hullA, // IBSI 3.1.26
    '99N0': V * meanIntensity, // IBSI 3.1.27: V · mean intensity of the intensity mask
    N365: moranI, // IBSI 3.1.28
    NPT7: gearyC, // IBSI 3.1.29
  };
  // Undefined for degenerate ROIs (one voxel: no PCA axes; one slice: flat AEE): NaN, not ±∞.
  for (const key of Object.keys(values)) if (!Number.isFinite(values[key]!)) values[key] = NaN;
  return values;
}

/** IBSI 3.1.1 and 3.1.3 over a triangle list, with vertices relative to the first one's. */
function meshMeasures(vx: Float64Array, vy: Float64Array, vz: Float64Array, tris: Int32Array): { volume: number; area: number } {
  let volume = 0;
  let area = 0;
  const ox = vx[tris[0]!]!, oy = vy[tris[0]!]!, oz = vz[tris[0]!]!;
  for (let t = 0; t < tris.length; t += 3) {
    const a = tris[t]!, b = tris[t + 1]!, c = tris[t + 2]!;
    const ax = vx[a]! - ox, ay = vy[a]! - oy, az = vz[a]! - oz;
    const bx = vx[b]! - ox, by = vy[b]! - oy, bz = vz[b]! - oz;
    const cx = vx[c]! - ox, cy = vy[c]! - oy, cz = vz[c]! - oz;
    // IBSI 3.1.1: V = (1/6) Σ a · (b × c) over outward-oriented faces.
    volume += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    // IBSI 3.1.3: A = Σ |(b − a) × (c − a)| / 2.
    const ux = bx - ax, uy = by - ay, uz = bz - az;
    const wx = cx - ax, wy = cy - ay, wz = cz - az;
    const nxx = uy * wz - uz * wy, nyy = uz * wx - ux * wz, nzz = ux * wy - uy * wx;
    area += Math.sqrt(nxx * nxx + nyy * nyy + nzz * nzz) / 2;
  }
  return { volume: volume / 6, area };
}

/**
 * Voxel counts, centres of mass (morphological mask: geometry; intensity mask: grey-level
 * weighted) and the covariance sums of the morphological-mask positions about their centre.
 * Sums run in voxel-index order, as recorded feature sets were computed.
 */
function voxelMoments(image: Volume, mask: Mask, intensityMask: Uint8Array, all: RoiBounds, maskBounds: RoiBounds) {
  const [nx, ny] = mask.dims;
  const [sx, sy, sz] = mask.spacing;
  const maskData = mask.data, data = image.data;
  let nMorph = 0;
  let gx = 0, gy = 0, gz = 0;
  let wSum = 0, wx = 0, wy = 0, wz = 0;
  let intensitySum = 0;
  let nInt = 0;
  for (let z = all.z0; z <= all.z1; z++) {
    for (let y = all.y0; y <= all.y1; y++) {
      for (let x = all.x0, i = x + nx * (y + ny * z); x <= all.x1; x++, i++) {
        if (maskData[i]) {
          nMorph++;
          gx += x * sx; gy += y * sy; gz += z * sz;
        }
        if (intensityMask[i]) {
          const v = data[i]!;
          nInt++;
          intensitySum += v;
          wSum += v;
          wx += v * x * sx; wy += v * y * sy; wz += v * z * sz;
        }
      }
    }
  }
  gx /= nMorph; gy /= nMorph; gz /= nMorph;
  // PCA of the morphological-mask voxel positions; covariance with N−1 (README note 4).
  let cxx = 0, cyy = 0, czz = 0, cxy = 0, cxz = 0, cyz = 0;
  for (let z = maskBounds.z0; z <= maskBounds.z1; z++) {
    for (let y = maskBounds.y0; y <= maskBounds.y1; y++) {
      for (let x = maskBounds.x0, i = x + nx * (y + ny * z); x <= maskBounds.x1; x++, i++) {
        if (!maskData[i]) continue;
        const dx = x * sx - gx, dy = y * sy - gy, dz = z * sz - gz;
        cxx += dx * dx; cyy += dy * dy; czz += dz * dz;
        cxy += dx * dy; cxz += dx * dz; cyz += dy * dz;
      }
    }
  }
  return { nMorph, nInt, intensitySum, gx, gy, gz, wSum, wx, wy, wz, cxx, cyy, czz, cxy, cxz, cyz };
}

/** max − min of the values (the mesh's axis-aligned bounding box along one axis). */
function extent(values: Float64Array): number {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]!);
    max = Math.max(max, values[i]!);
  }
  return max - min;
}

/** IBSI 3.1.11: the largest distance between two of the given vertices. */
function maximumDistance(vx: Float64Array, vy: Float64Array, vz: Float64Array, vertices: Int32Array): number {
  let diameter = 0;
  for (let i = 0; i < vertices.length; i++) {
    const a = vertices[i]!;
    for (let j = i + 1; j < vertices.length; j++) {
      const b = vertices[j]!;
      const dx = vx[a]! - vx[b]!, dy = vy[a]! - vy[b]!, dz = vz[a]! - vz[b]!;
      const d = dx * dx + dy * dy + dz * dz;
      if (d > diameter) diameter = d;
    }
  }
  return Math.sqrt(diameter);
}
