import { ValidationError } from '@radledger/platform';
import { icc21, icc31, twoWayAnova, type IccEstimate } from './intraclass-correlation.js';

/** One segmentation's feature values (IBSI code → value), by the reader or method that made it. */
export interface RaterFeatureSet {
  /** Who or what segmented: a reader's id, or a method such as `auto-seg 1.2`. The ICC's columns. */
  raterId: string;
  values: Readonly<Record<string, number>>;
  /** The recorded feature set it came from, for the report's lineage. */
  featureSetId?: string;
}

/** Two or more segmentations of the same image of one subject. */
export interface SubjectSegmentations {
  subjectId: string;
  imageId: string;
  featureSets: readonly RaterFeatureSet[];
}

export type IccModel = 'ICC(2,1)' | 'ICC(3,1)';

export interface FeatureReliabilityOptions {
  /** Default 0.75: "good" reliability (Koo & Li, J Chiropr Med 2016), the threshold the Lancet Digit Health 2022 review names. */
  threshold?: number;
  /** Which ICC decides: default ICC(2,1), absolute agreement between readers drawn from a population of readers. */
  model?: IccModel;
  /** Compare the threshold with the point estimate (default) or with the lower confidence bound (stricter). */
  basis?: 'estimate' | 'lower-bound';
  alpha?: number;
  /** Only these IBSI codes; default every code present. */
  featureCodes?: readonly string[];
}

export interface FeatureReliability {
  featureCode: string;
  subjects: number;
  icc21: IccEstimate | null;
  icc31: IccEstimate | null;
  meetsThreshold: boolean;
  /** Why no ICC or why the feature fails. */
  note: string | null;
}

export interface FeatureReliabilityReport {
  raters: string[];
  subjects: number;
  excludedSubjects: Array<{ subjectId: string; imageId: string; reason: string }>;
  threshold: number;
  model: IccModel;
  basis: 'estimate' | 'lower-bound';
  alpha: number;
  features: FeatureReliability[];
  /** Codes meeting the threshold, and those that do not (or cannot be judged). */
  reliable: string[];
  unreliable: string[];
}

/**
 * Per feature, ICC(2,1) and ICC(3,1) over subjects, with the raters as columns: how far a
 * feature's value depends on who segmented (Zwanenburg et al., Sci Rep 2019; Lambin et al. 2017,
 * RQS item "multiple segmentations"). A subject missing one rater's segmentation is left out of
 * every feature (a two-way design needs every rater on every subject); a subject whose value is
 * not finite for one rater is left out of that feature only.
 */
export function featureReliability(segmentations: readonly SubjectSegmentations[], options: FeatureReliabilityOptions = {}): FeatureReliabilityReport {
  const threshold = options.threshold ?? 0.75;
  if (!(threshold > -1 && threshold <= 1)) throw new ValidationError('OUT_OF_RANGE', `threshold: expected an ICC in (−1, 1], got ${threshold}`, { field: 'threshold' });
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new ValidationError('OUT_OF_RANGE', `alpha: expected 0 < alpha < 1, got ${alpha}`, { field: 'alpha' });
  const model = options.model ?? 'ICC(2,1)';
  const basis = options.basis ?? 'estimate';
  const raterSet = new Set<string>();
  segmentations.forEach((s, i) => {
    const seen = new Set<string>();
    s.featureSets.forEach((f, j) => {
      if (seen.has(f.raterId)) throw new ValidationError('DUPLICATE_RATER', `segmentations[${i}].featureSets[${j}].raterId: ${f.raterId} appears twice for subject ${s.subjectId}`, { field: `segmentations[${i}].featureSets[${j}].raterId` });
      seen.add(f.raterId);
      raterSet.add(f.raterId);
    });
  });
  const raters = [...raterSet].sort();
  if (raters.length < 2) throw new ValidationError('RELIABILITY_TOO_FEW', `segmentations: reliability needs at least two raters, got ${raters.length}`, { field: 'segmentations' });
  const excludedSubjects: FeatureReliabilityReport['excludedSubjects'] = [];
  const rows: Array<ReadonlyArray<Readonly<Record<string, number>>>> = [];
  for (const s of segmentations) {
    const byRater = new Map(s.featureSets.map((f) => [f.raterId, f.values]));
    const missing = raters.filter((r) => !byRater.has(r));
    if (missing.length > 0) {
      excludedSubjects.push({ subjectId: s.subjectId, imageId: s.imageId, reason: `no segmentation by ${missing.join(', ')}` });
      continue;
    }
    rows.push(raters.map((r) => byRater.get(r)!));
  }
  const codes = options.featureCodes ?? [...new Set(rows.flatMap((r) => r.flatMap((v) => Object.keys(v))))].sort();
  const features: FeatureReliability[] = codes.map((featureCode) => {
    const ratings: number[][] = [];
    for (const row of rows) {
      const values = row.map((v) => v[featureCode]);
      if (values.every((x): x is number => typeof x === 'number' && Number.isFinite(x))) ratings.push(values);
    }
    if (ratings.length < 2) return { featureCode, subjects: ratings.length, icc21: null, icc31: null, meetsThreshold: false, note: `${ratings.length} subject(s) with a finite value from every rater; at least 2 needed` };
    const anova = twoWayAnova(ratings);
    if (anova.msr === 0 && anova.mse === 0) {
      return { featureCode, subjects: ratings.length, icc21: null, icc31: null, meetsThreshold: false, note: 'the feature does not vary between subjects: reliability is undefined' };
    }
    const e21 = icc21(anova, alpha);
    const e31 = icc31(anova, alpha);
    const chosen = model === 'ICC(2,1)' ? e21 : e31;
    const judged = basis === 'estimate' ? chosen.value : chosen.lower;
    const meetsThreshold = Number.isFinite(judged) && judged >= threshold;
    return {
      featureCode,
      subjects: ratings.length,
      icc21: e21,
      icc31: e31,
      meetsThreshold,
      note: meetsThreshold ? null : `${model} ${basis === 'estimate' ? 'estimate' : 'lower bound'} ${Number.isFinite(judged) ? judged.toFixed(3) : 'undefined'} < ${threshold}`,
    };
  });
  return {
    raters,
    subjects: rows.length,
    excludedSubjects,
    threshold,
    model,
    basis,
    alpha,
    features,
    reliable: features.filter((f) => f.meetsThreshold).map((f) => f.featureCode),
    unreliable: features.filter((f) => !f.meetsThreshold).map((f) => f.featureCode),
  };
}
