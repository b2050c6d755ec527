import type { FeatureDefinition, FeatureValues, Mask, Volume } from '../volume.js';
import { convexHull3d } from './convex-hull.js';
import { marchingCubesBinary } from './marching-cubes.js';
import { symmetricEigenvalues3 } from './symmetric-eigen.js';

/**
 * IBSI 3.1 morphological features. The mesh comes from marching cubes on the zero-padded
 * morphological mask at iso-level 0.5 (IBSI 3.1, note 3 of ../shared/ibsi/README.md);
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
  /** See RadiomicsSettings.morphology.spatialAutocorrelationMaxVoxels. */
  spatialAutocorrelationMaxVoxels: number;
}

interface Box {
  x0: number; y0: number; z0: number;
  nx: number; ny: number; nz: number;
}

function boundingBox(mask: Mask): Box {
  const [nx, ny, nz] = mask.dims;
  let x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!mask.data[i]) continue;
        if (x < x0) x0 = x; if (x > x1) x1 = x;
        if (y < y0) y0 = y; if (y > y1) y1 = y;
        if (z < z0) z0 = z; if (z > z1) z1 = z;
      }
    }
  }
  return { x0, y0, z0, nx: x1 - x0 + 1, ny: y1 - y0 + 1, nz: z1 - z0 + 1 };
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
  const box = boundingBox(mask);
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
  const meshMeasures = (tris: ArrayLike<number>): { volume: number; area: number } => {
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
  };
  const { volume: V, area: A } = meshMeasures(mesh.triangles);

  // Voxel positions, morphological mask (geometry) and intensity mask (grey-level weighted).
  const [, , nz] = mask.dims;
  let nMorph = 0;
  let gx = 0, gy = 0, gz = 0;
  let wSum = 0, wx = 0, wy = 0, wz = 0;
  let intensitySum = 0;
  let nInt = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask.data[i]) {
          nMorph++;
          gx += x * sx; gy += y * sy; gz += z * sz;
        }
        if (intensityMask[i]) {
          const v = image.data[i]!;
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
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (!mask.data[i]) continue;
        const dx = x * sx - gx, dy = y * sy - gy, dz = z * sz - gz;
        cxx += dx * dx; cyy += dy * dy; czz += dz * dz;
        cxy += dx * dy; cxz += dx * dz; cyz += dy * dz;
      }
    }
  }
  const dof = Math.max(1, nMorph - 1);
  const [l1, l2, l3] = symmetricEigenvalues3(cxx / dof, cyy / dof, czz / dof, cxy / dof, cxz / dof, cyz / dof);
  const lMajor = Math.max(0, l1), lMinor = Math.max(0, l2), lLeast = Math.max(0, l3);

  // Axis-aligned bounding box of the mesh.
  let minX = Infinity, minY = Infinity, minZ = Infinity, maxX = -Infinity, maxY = -Infinity, maxZ = -Infinity;
  for (let i = 0; i < nv; i++) {
    minX = Math.min(minX, vx[i]!); maxX = Math.max(maxX, vx[i]!);
    minY = Math.min(minY, vy[i]!); maxY = Math.max(maxY, vy[i]!);
    minZ = Math.min(minZ, vz[i]!); maxZ = Math.max(maxZ, vz[i]!);
  }
  const ex = maxX - minX, ey = maxY - minY, ez = maxZ - minZ;

  // Convex hull of the mesh vertices (exact in doubled index units).
  const hull = convexHull3d(mesh.vertices);
  let hullV = NaN;
  let hullA = NaN;
  let diameter = 0;
  if (hull) {
    const h = meshMeasures(hull.triangles);
    hullV = h.volume;
    hullA = h.area;
    const hv = hull.vertexIndices;
    for (let i = 0; i < hv.length; i++) {
      const a = hv[i]!;
      for (let j = i + 1; j < hv.length; j++) {
        const b = hv[j]!;
        const dx = vx[a]! - vx[b]!, dy = vy[a]! - vy[b]!, dz = vz[a]! - vz[b]!;
        const d = dx * dx + dy * dy + dz * dz;
        if (d > diameter) diameter = d;
      }
    }
    diameter = Math.sqrt(diameter);
  }

  const aSemi = 2 * Math.sqrt(lMajor), bSemi = 2 * Math.sqrt(lMinor), cSemi = 2 * Math.sqrt(lLeast);
  const meanIntensity = intensitySum / nInt;
  const { moranI, gearyC } = spatialAutocorrelation(image, intensityMask, input.spatialAutocorrelationMaxVoxels);
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

/**
 * IBSI 3.1.28-29 with weights w_ij = 1/‖x_i − x_j‖ (mm) over all voxel pairs of the
 * intensity mask. Above maxVoxels, an evenly strided subset (fixed, ordered) is used.
 */
function spatialAutocorrelation(
  image: Volume,
  intensityMask: Uint8Array,
  maxVoxels: number,
): { moranI: number; gearyC: number } {
  const [nx, ny] = image.dims;
  const [sx, sy, sz] = image.spacing;
  const all: number[] = [];
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i]) all.push(i);
  const stride = all.length > maxVoxels ? all.length / maxVoxels : 1;
  const count = Math.min(all.length, maxVoxels);
  const px = new Float64Array(count), py = new Float64Array(count), pz = new Float64Array(count);
  const val = new Float64Array(count);
  let mean = 0;
  for (let k = 0; k < count; k++) {
    const i = all[Math.floor(k * stride)]!;
    const x = i % nx, y = Math.floor(i / nx) % ny, z = Math.floor(i / (nx * ny));
    px[k] = x * sx; py[k] = y * sy; pz[k] = z * sz;
    val[k] = image.data[i]!;
    mean += val[k]!;
  }
  mean /= count;
  let wTotal = 0, moranNum = 0, gearyNum = 0, denom = 0;
  for (let a = 0; a < count; a++) {
    const da = val[a]! - mean;
    denom += da * da;
    for (let b = a + 1; b < count; b++) {
      const dx = px[a]! - px[b]!, dy = py[a]! - py[b]!, dz = pz[a]! - pz[b]!;
      const w = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
      const db = val[b]! - mean;
      const diff = val[a]! - val[b]!;
      wTotal += 2 * w; // both (a, b) and (b, a)
      moranNum += 2 * w * da * db;
      gearyNum += 2 * w * diff * diff;
    }
  }
  if (count < 2 || denom === 0) return { moranI: NaN, gearyC: NaN };
  return {
    moranI: ((count / wTotal) * moranNum) / denom, // N/Σw · Σ w (x_i−µ)(x_j−µ) / Σ (x_i−µ)²
    gearyC: ((count - 1) * gearyNum) / (2 * wTotal * denom), // (N−1) Σ w (x_i−x_j)² / (2 Σw Σ (x_i−µ)²)
  };
}
