import { SeededRandom } from '@radledger/platform';

export type Partition = 'train' | 'tune' | 'test';

export interface SyntheticSubject {
  /** Pseudonym: no name, date or record number can hide in it. */
  subjectId: string;
  partition: Partition;
  /** T1c radiomics of the whole-tumour ROI, keyed by IBSI code (`<code>@<aggregation>` for texture). */
  features: Record<string, number>;
  idhMutant: boolean;
  mgmtMethylated: boolean;
}

export interface SyntheticCohortOptions {
  seed: number;
  subjects: number;
  /** Fractions for train and tune; the rest is the sequestered test partition. */
  trainFraction: number;
  tuneFraction: number;
}

/** IBSI codes the cohort carries (IBSI 1 reference manual, chapter 3). */
export const COHORT_FEATURE_CODES = {
  meanIntensity: 'Q4LE', // intensity-based statistics, mean
  intensityVariance: 'ECT3',
  intensitySkewness: 'KE2A',
  glcmContrast: 'ACUI@IAZD', // GLCM contrast, 3D merged
  glcmJointEntropy: 'TU9B@IAZD', // GLCM joint entropy, 3D merged
  sphericity: 'QCFX',
  volumeMesh: 'RNU0', // mm³
} as const;

/**
 * A synthetic adult-glioma cohort with the qualitative signal reported for IDH status on
 * contrast-enhanced T1: IDH-mutant tumours are larger at diagnosis, enhance less (lower mean
 * and skewness of the normalised T1c intensity), are more homogeneous (lower variance, GLCM
 * contrast and joint entropy) and have smoother, more spherical borders. MGMT promoter
 * methylation is far more common in IDH-mutant tumours and, independently, lowers texture
 * entropy in enhancing tumours (an interaction that trees can use and a linear model cannot).
 * The numbers are invented for demonstration; they describe no real patient.
 */
export function generateSyntheticCohort(options: SyntheticCohortOptions): SyntheticSubject[] {
  const random = new SeededRandom(options.seed);
  const c = COHORT_FEATURE_CODES;
  const subjects: SyntheticSubject[] = [];
  for (let i = 0; i < options.subjects; i += 1) {
    const idhMutant = random.bernoulli(0.38);
    const mgmtMethylated = random.bernoulli(idhMutant ? 0.82 : 0.42);
    const idh = idhMutant ? 1 : 0;
    const mgmt = mgmtMethylated ? 1 : 0;
    const heterogeneity = random.normal(); // shared latent: necrosis and mixed enhancement
    const volume = Math.exp(Math.log(42_000) + 0.4 * idh + 0.55 * random.normal());
    const mean = 1.05 - 0.5 * idh + 0.12 * heterogeneity + 0.3 * random.normal();
    const logVariance = Math.log(0.85) - 0.45 * idh + 0.25 * heterogeneity + 0.28 * random.normal();
    const skewness = 0.55 - 0.4 * idh + 0.15 * heterogeneity + 0.4 * random.normal();
    const enhancing = mean > 0.8 ? 1 : 0;
    const contrast = Math.exp(Math.log(6.5) - 0.3 * idh + 0.3 * heterogeneity + 0.3 * random.normal());
    const entropy = 5.3 - 0.3 * idh - 0.35 * mgmt * enhancing - 0.05 * mgmt + 0.2 * heterogeneity + 0.25 * random.normal();
    const sphericity = clamp(0.6 + 0.08 * idh - 0.03 * heterogeneity + 0.07 * random.normal(), 0.2, 0.95);
    subjects.push({
      subjectId: `SYN-${String(i + 1).padStart(4, '0')}`,
      partition: 'test',
      features: {
        [c.meanIntensity]: round(mean),
        [c.intensityVariance]: round(Math.exp(logVariance)),
        [c.intensitySkewness]: round(skewness),
        [c.glcmContrast]: round(contrast),
        [c.glcmJointEntropy]: round(entropy),
        [c.sphericity]: round(sphericity),
        [c.volumeMesh]: round(volume),
      },
      idhMutant,
      mgmtMethylated,
    });
  }
  const order = random.shuffle(subjects.map((_, i) => i));
  const trainCount = Math.round(options.subjects * options.trainFraction);
  const tuneCount = Math.round(options.subjects * options.tuneFraction);
  order.forEach((subjectIndex, rank) => {
    (subjects[subjectIndex] as SyntheticSubject).partition =
      rank < trainCount ? 'train' : rank < trainCount + tuneCount ? 'tune' : 'test';
  });
  return subjects;
}

/** Six significant digits: what a feature table would carry, and exactly what the models see. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
