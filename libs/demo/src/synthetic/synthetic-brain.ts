import { SeededRandom } from '@radledger/platform';

/**
 * Synthetic glioma MRI, made by the project (no real patient data anywhere).
 *
 * Grid: 80 × 96 × 64 voxels at 2 mm isotropic (160 × 192 × 128 mm), x = left→right,
 * y = posterior→anterior, z = inferior→superior (RAS+). Big enough for a head with a
 * 3–6 cm tumour, small enough (0.49 M voxels) that twelve subjects with two sequences,
 * preprocessing and IBSI features load in seconds on two cores. 2 mm isotropic also means
 * no resampling step is needed before 3-D texture features (IBSI 2.4).
 *
 * Anatomy (label map): air, scalp, CSF (subarachnoid + two ventricles), cortical grey
 * matter, white matter with a wavy boundary, and a tumour of three nested, lobulated shells:
 * necrotic core → enhancing rim → peritumoural oedema (BraTS regions; "whole tumour" is
 * their union). Two phenotypes with the qualitative signal the demo models were trained on
 * (models/MODELS.md): "wildtype-like" (thick ring enhancement, necrosis, irregular) and
 * "mutant-like" (faint enhancement, no necrosis, larger and rounder).
 *
 * Contrasts: T1c after gadolinium (rim bright, necrosis dark, oedema slightly dark) and
 * FLAIR (oedema bright, CSF suppressed). A smooth multiplicative bias field (stronger at
 * 3 T), a vendor-specific arbitrary intensity scale, and Rician noise (σ lower at 3 T) are
 * applied, then values are stored as int16 like scanner output.
 */
export const DEMO_GRID = { dims: [80, 96, 64] as const, spacing: [2, 2, 2] as const };

export const TISSUE = { air: 0, scalp: 1, csf: 2, grey: 3, white: 4, ventricle: 5, oedema: 6, enhancing: 7, necrosis: 8 } as const;

export type Phenotype = 'wildtype-like' | 'mutant-like';

export interface ScannerProfile {
  fieldStrengthT: number;
  vendor: 'Siemens' | 'GE' | 'Philips';
}

export interface SyntheticSubjectOptions {
  seed: number;
  /** Pseudonym; mixed into the seed so each subject differs. */
  subjectId: string;
  scanner: ScannerProfile;
  /** Forced phenotype; drawn from the seed when absent. */
  phenotype?: Phenotype;
  /** Tumour radii times this factor (a follow-up scan of the same head: growth or shrinkage); default 1. */
  tumourScale?: number;
}

export interface TumourGeometry {
  /** Centre in mm (world, grid centred on the origin). */
  centreMm: [number, number, number];
  necrosisRadiusMm: number;
  enhancingRadiusMm: number;
  oedemaRadiusMm: number;
}

export interface SyntheticSubject {
  subjectId: string;
  phenotype: Phenotype;
  dims: readonly [number, number, number];
  spacing: readonly [number, number, number];
  tumour: TumourGeometry;
  /** Tissue label per voxel (TISSUE codes). */
  labels: Uint8Array;
  /** Stored scanner values (int16 range). */
  t1c: Int16Array;
  flair: Int16Array;
  /** Ground-truth masks (0/1). */
  wholeTumour: Uint8Array;
  enhancing: Uint8Array;
  /** A simulated automatic whole-tumour segmentation: misses oedema on one side, leaks on the other. */
  automaticWholeTumour: Uint8Array;
}

/** Mean intensity per tissue before bias, vendor scale and noise (arbitrary units). */
//                                      air  scalp  csf  grey white vent oedema enh  necrosis
const T1C_INTENSITY = Float64Array.of(0, 1050, 260, 620, 880, 240, 800, 1500, 330);
const FLAIR_INTENSITY = Float64Array.of(0, 820, 130, 760, 580, 110, 1240, 920, 520);
/** Vendors scale MR magnitudes arbitrarily: one reason z-score normalisation is needed before radiomics. */
const VENDOR_SCALE: Record<ScannerProfile['vendor'], number> = { Siemens: 1, GE: 1.6, Philips: 0.7 };

interface Lobulation {
  /** Unit direction and amplitude of each bump. */
  bumps: Array<{ d: [number, number, number]; amplitude: number; sharpness: number }>;
}

/** Radius multiplier for a direction: 1 + Σ a·(max(0, u·d))^k, so bumps are smooth lobes. */
function lobeFactor(l: Lobulation, ux: number, uy: number, uz: number): number {
  let f = 1;
  for (const b of l.bumps) {
    const c = ux * b.d[0] + uy * b.d[1] + uz * b.d[2];
    if (c > 0) f += b.amplitude * Math.pow(c, b.sharpness);
  }
  return f;
}

function randomUnit(rng: SeededRandom): [number, number, number] {
  const v: [number, number, number] = [rng.normal(), rng.normal(), rng.normal()];
  const n = Math.hypot(...v) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Smooth "texture" field: a few random plane waves with wavelengths of 8–20 mm. */
function planeWaves(rng: SeededRandom, count: number): (x: number, y: number, z: number) => number {
  const waves = Array.from({ length: count }, () => {
    const d = randomUnit(rng);
    const k = (2 * Math.PI) / rng.uniform(8, 20);
    return { kx: d[0] * k, ky: d[1] * k, kz: d[2] * k, phase: rng.uniform(0, 2 * Math.PI) };
  });
  return (x, y, z) => {
    let s = 0;
    for (const w of waves) s += Math.sin(w.kx * x + w.ky * y + w.kz * z + w.phase);
    return s / Math.sqrt(count);
  };
}

export function generateSyntheticSubject(options: SyntheticSubjectOptions): SyntheticSubject {
  const rng = SeededRandom.forLabel(options.seed, options.subjectId);
  const { dims, spacing } = DEMO_GRID;
  const [nx, ny, nz] = dims;
  const n = nx * ny * nz;
  const phenotype: Phenotype = options.phenotype ?? (rng.bernoulli(0.4) ? 'mutant-like' : 'wildtype-like');
  const mutant = phenotype === 'mutant-like';

  // Head and brain ellipsoids (semi-axes in mm), slightly different per subject.
  const brain = [rng.uniform(62, 68), rng.uniform(78, 84), rng.uniform(50, 55)] as const;
  const head = [brain[0] * 1.13, brain[1] * 1.12, brain[2] * 1.14] as const;
  const csfRim = 0.95;
  const whiteScale = 0.78;
  const gyri = planeWaves(rng, 6);

  // Tumour in one hemisphere, away from the midline and the skull.
  const side = rng.bernoulli(0.5) ? 1 : -1;
  // Drawn first, scaled after: a follow-up keeps every other draw (head, position, noise) of the subject.
  const scale = options.tumourScale ?? 1;
  const drawnNecrosis = mutant ? 0 : rng.uniform(6, 9);
  const drawnEnhancing = mutant ? rng.uniform(14, 18) : drawnNecrosis + rng.uniform(5, 7);
  const drawnOedema = drawnEnhancing + (mutant ? rng.uniform(4, 6) : rng.uniform(3, 4.5));
  const necrosisRadiusMm = drawnNecrosis * scale;
  const enhancingRadiusMm = drawnEnhancing * scale;
  const oedemaRadiusMm = drawnOedema * scale;
  const centreMm: [number, number, number] = [side * rng.uniform(22, 28), rng.uniform(-8, 18), rng.uniform(2, 12)];
  const lobes: Lobulation = {
    bumps: Array.from({ length: mutant ? 3 : 8 }, () => ({ d: randomUnit(rng), amplitude: mutant ? rng.uniform(0.05, 0.12) : rng.uniform(0.25, 0.45), sharpness: rng.uniform(3, 8) })),
  };
  const tumourTexture = planeWaves(rng, 5);
  const heterogeneity = mutant ? 0.05 : 0.13;
  const enhancementGain = mutant ? 0.12 : 1; // faint enhancement in the mutant-like phenotype

  // Bias field: smooth, stronger at 3 T (B1 inhomogeneity grows with field strength).
  const highField = options.scanner.fieldStrengthT >= 2.5;
  const biasAmp = highField ? 0.18 : 0.09;
  const biasCoeff = Array.from({ length: 6 }, () => rng.uniform(-1, 1) * biasAmp);
  const sigma = highField ? 16 : 26;
  const vendorScale = VENDOR_SCALE[options.scanner.vendor];

  // Ventricles: two ellipsoids either side of the midline.
  const ventricles = [-1, 1].map((s) => ({ c: [s * 9, 4, 8] as const, r: [6, 20, 9] as const }));

  const reach2 = (oedemaRadiusMm * 1.6) ** 2;
  const labels = new Uint8Array(n);
  const t1c = new Int16Array(n);
  const flair = new Int16Array(n);
  const wholeTumour = new Uint8Array(n);
  const enhancing = new Uint8Array(n);
  const tumourShade = new Float32Array(n);
  const ox = (-(nx - 1) / 2) * spacing[0];
  const oy = (-(ny - 1) / 2) * spacing[1];
  const oz = (-(nz - 1) / 2) * spacing[2];

  for (let k = 0; k < nz; k++) {
    const z = oz + k * spacing[2];
    for (let j = 0; j < ny; j++) {
      const y = oy + j * spacing[1];
      for (let i = 0; i < nx; i++) {
        const x = ox + i * spacing[0];
        const idx = i + nx * (j + ny * k);
        const rh = (x / head[0]) ** 2 + (y / head[1]) ** 2 + (z / head[2]) ** 2;
        if (rh > 1) continue;
        const rb = (x / brain[0]) ** 2 + (y / brain[1]) ** 2 + (z / brain[2]) ** 2;
        let label: number = TISSUE.scalp;
        if (rb <= 1) {
          label = TISSUE.csf;
          if (rb <= csfRim * csfRim) {
            // A wavy grey/white boundary: the white-matter core radius moves with a smooth field.
            const boundary = whiteScale * (1 + 0.06 * gyri(x, y, z));
            label = Math.sqrt(rb) < boundary ? TISSUE.white : TISSUE.grey;
            for (const v of ventricles) {
              const rv = ((x - v.c[0]) / v.r[0]) ** 2 + ((y - v.c[1]) / v.r[1]) ** 2 + ((z - v.c[2]) / v.r[2]) ** 2;
              if (rv <= 1) label = TISSUE.ventricle;
            }
          }
          const dx = x - centreMm[0];
          const dy = y - centreMm[1];
          const dz = z - centreMm[2];
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= reach2) {
            const d = Math.sqrt(d2);
            const u = d > 0 ? lobeFactor(lobes, dx / d, dy / d, dz / d) : 1;
            const rho = d / u;
            if (rho <= oedemaRadiusMm && label !== TISSUE.ventricle) {
              label = rho <= necrosisRadiusMm ? TISSUE.necrosis : rho <= enhancingRadiusMm ? TISSUE.enhancing : TISSUE.oedema;
              wholeTumour[idx] = 1;
              if (label === TISSUE.enhancing) enhancing[idx] = 1;
              tumourShade[idx] = 1 + heterogeneity * tumourTexture(x, y, z);
            }
          }
        }
        labels[idx] = label;
      }
    }
  }

  const gaussian = gaussianTable(rng);
  const noise = (signal: number) => {
    // Rician magnitude of a complex signal with Gaussian noise in both channels.
    const re = signal + sigma * gaussian[(rng.next() * GAUSSIAN_TABLE_SIZE) | 0]!;
    const im = sigma * gaussian[(rng.next() * GAUSSIAN_TABLE_SIZE) | 0]!;
    return Math.sqrt(re * re + im * im);
  };
  for (let k = 0; k < nz; k++) {
    const zn = (oz + k * spacing[2]) / 64;
    for (let j = 0; j < ny; j++) {
      const yn = (oy + j * spacing[1]) / 96;
      for (let i = 0; i < nx; i++) {
        const xn = (ox + i * spacing[0]) / 80;
        const idx = i + nx * (j + ny * k);
        const label = labels[idx]!;
        const bias = Math.exp(biasCoeff[0]! * xn + biasCoeff[1]! * yn + biasCoeff[2]! * zn + biasCoeff[3]! * xn * xn + biasCoeff[4]! * yn * yn + biasCoeff[5]! * xn * zn);
        const shade = wholeTumour[idx] ? tumourShade[idx]! : 1;
        let t1 = T1C_INTENSITY[label]!;
        if (label === TISSUE.enhancing) t1 = T1C_INTENSITY[TISSUE.white]! + (t1 - T1C_INTENSITY[TISSUE.white]!) * enhancementGain;
        const fl = FLAIR_INTENSITY[label]!;
        t1c[idx] = clampInt16(Math.round(noise(t1 * shade * bias) * vendorScale));
        flair[idx] = clampInt16(Math.round(noise(fl * shade * bias) * vendorScale));
      }
    }
  }

  return {
    subjectId: options.subjectId,
    phenotype,
    dims,
    spacing,
    tumour: { centreMm, necrosisRadiusMm, enhancingRadiusMm, oedemaRadiusMm },
    labels,
    t1c,
    flair,
    wholeTumour,
    enhancing,
    automaticWholeTumour: simulateAutomaticSegmentation(wholeTumour, labels, centreMm, oedemaRadiusMm, rng),
  };
}

/**
 * What an automatic tool typically gets wrong on FLAIR: it stops short of faint oedema on
 * one side (a cone of directions loses its outer shell) and leaks into adjacent bright
 * tissue on the other (a small blob outside the border). The cone's width is found by
 * bisection (to ±0.01) so that Dice against the truth is near a target drawn from 0.87–0.93: the second
 * reader's correction is then always a visible, measured edit, never a wholesale redraw.
 */
function simulateAutomaticSegmentation(
  truth: Uint8Array,
  labels: Uint8Array,
  centreMm: readonly [number, number, number],
  oedemaRadiusMm: number,
  rng: SeededRandom,
): Uint8Array {
  const { dims, spacing } = DEMO_GRID;
  const [nx, ny, nz] = dims;
  const miss = randomUnit(rng);
  const shellFraction = rng.uniform(0.72, 0.8);
  const leakRadius = rng.uniform(4, 6);
  const targetDice = rng.uniform(0.87, 0.93);
  const leakCentre = [0, 1, 2].map((a) => centreMm[a]! - miss[a]! * (oedemaRadiusMm + 2)) as [number, number, number];
  // Only voxels near the tumour can change: work inside its bounding box.
  const reach = oedemaRadiusMm * 1.6 + 2 + leakRadius;
  const lo = [0, 1, 2].map((a) => Math.max(0, Math.floor((centreMm[a]! - reach) / spacing[a]! + (dims[a]! - 1) / 2)));
  const hi = [0, 1, 2].map((a) => Math.min(dims[a]! - 1, Math.ceil((centreMm[a]! + reach) / spacing[a]! + (dims[a]! - 1) / 2)));
  const origin = [0, 1, 2].map((a) => (-(dims[a]! - 1) / 2) * spacing[a]!);
  const build = (coneCos: number): Uint8Array => {
    const auto = new Uint8Array(truth);
    for (let k = lo[2]!; k <= hi[2]!; k++) {
      const z = origin[2]! + k * spacing[2];
      for (let j = lo[1]!; j <= hi[1]!; j++) {
        const y = origin[1]! + j * spacing[1];
        for (let i = lo[0]!; i <= hi[0]!; i++) {
          const x = origin[0]! + i * spacing[0];
          const idx = i + nx * (j + ny * k);
          const dx = x - centreMm[0];
          const dy = y - centreMm[1];
          const dz = z - centreMm[2];
          const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
          if (truth[idx] && d > shellFraction * oedemaRadiusMm && (dx * miss[0] + dy * miss[1] + dz * miss[2]) / d > coneCos) auto[idx] = 0;
          const lx = x - leakCentre[0];
          const ly = y - leakCentre[1];
          const lz = z - leakCentre[2];
          const brainTissue = labels[idx] === TISSUE.grey || labels[idx] === TISSUE.white;
          if (brainTissue && lx * lx + ly * ly + lz * lz <= leakRadius * leakRadius) auto[idx] = 1;
        }
      }
    }
    return auto;
  };
  // The truth lies inside the box and outside it both masks are empty, so Dice over the box is Dice.
  let truthCount = 0;
  for (let k = lo[2]!; k <= hi[2]!; k++) for (let j = lo[1]!; j <= hi[1]!; j++) for (let i = lo[0]!; i <= hi[0]!; i++) truthCount += truth[i + nx * (j + ny * k)]!;
  const boxDice = (auto: Uint8Array) => {
    let inter = 0;
    let count = 0;
    for (let k = lo[2]!; k <= hi[2]!; k++)
      for (let j = lo[1]!; j <= hi[1]!; j++)
        for (let i = lo[0]!; i <= hi[0]!; i++) {
          const idx = i + nx * (j + ny * k);
          count += auto[idx]!;
          inter += auto[idx]! & truth[idx]!;
        }
    return (2 * inter) / (count + truthCount);
  };
  // A wider cone (smaller cosine) misses more, so Dice grows with coneCos.
  let low = -0.5;
  let high = 1;
  let best = build(high);
  for (let step = 0; step < 10; step++) {
    const mid = (low + high) / 2;
    const auto = build(mid);
    if (boxDice(auto) < targetDice) low = mid;
    else (high = mid), (best = auto);
  }
  return best;
}

/**
 * Scanner noise needs ~2 Gaussian draws per voxel (≈1 M per volume); a per-subject table
 * of 2^16 Box–Muller samples indexed by one uniform draw each keeps generation fast while
 * staying deterministic.
 */
const GAUSSIAN_TABLE_SIZE = 1 << 16;
function gaussianTable(rng: SeededRandom): Float64Array {
  const table = new Float64Array(GAUSSIAN_TABLE_SIZE);
  for (let i = 0; i < GAUSSIAN_TABLE_SIZE; i++) table[i] = rng.normal();
  return table;
}

function clampInt16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** Sørensen–Dice of two 0/1 masks on the same grid (used by the tests and the demo's log). */
export function diceCoefficient(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i]) na++;
    if (b[i]) nb++;
    if (a[i] && b[i]) inter++;
  }
  return na + nb === 0 ? 1 : (2 * inter) / (na + nb);
}

/**
 * An independent reader's whole-tumour contour: a voxel tighter than the truth at one pole of the
 * lesion (a 45° cone of directions along left-right), where faint oedema fades into white matter.
 * What two careful readers typically differ by; the pair feeds the demo's inter-reader reliability study.
 */
export function simulateIndependentReader(truth: Uint8Array, centreMm: readonly [number, number, number]): Uint8Array {
  const { dims, spacing } = DEMO_GRID;
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(truth);
  const origin = [0, 1, 2].map((a) => (-(dims[a]! - 1) / 2) * spacing[a]!);
  const coneCos = Math.SQRT1_2;
  const inside = (i: number, j: number, k: number) => i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz && truth[i + nx * (j + ny * k)] === 1;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const idx = i + nx * (j + ny * k);
        const dx = origin[0]! + i * spacing[0] - centreMm[0];
        const dy = origin[1]! + j * spacing[1] - centreMm[1];
        const dz = origin[2]! + k * spacing[2] - centreMm[2];
        const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (d === 0) continue;
        const along = dx / d;
        if (along < coneCos) continue;
        const neighbours = [inside(i - 1, j, k), inside(i + 1, j, k), inside(i, j - 1, k), inside(i, j + 1, k), inside(i, j, k - 1), inside(i, j, k + 1)];
        if (along > 0 && truth[idx] === 1 && neighbours.includes(false)) out[idx] = 0;
      }
    }
  }
  return out;
}

/** An N/2 ghost along the phase-encoding axis (y) at `fraction` of the signal: what patient motion leaves in a 2-D acquisition. */
export function addPhaseGhost(volume: Int16Array, fraction: number): Int16Array {
  const [nx, ny, nz] = DEMO_GRID.dims;
  const out = new Int16Array(volume);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const target = i + nx * (((j + ny / 2) % ny) + ny * k);
        out[target] = clampInt16(out[target]! + Math.round(fraction * volume[i + nx * (j + ny * k)]!));
      }
  return out;
}
