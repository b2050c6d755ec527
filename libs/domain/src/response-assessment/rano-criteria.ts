/**
 * RANO 2.0 response assessment as a pure derivation (Wen et al., "RANO 2.0: Update to the
 * Response Assessment in Neuro-Oncology Criteria for High- and Low-Grade Gliomas in Adults",
 * J Clin Oncol 2023), with the RANO 2010 rules it keeps (Wen et al., J Clin Oncol 2010) and the
 * modified RANO confirmation rules it adopts (Ellingson et al., "Modified Criteria for Radiographic
 * Response Assessment in Glioblastoma Clinical Trials", Neurotherapeutics 2017; "mRANO").
 *
 * Where the criteria leave a choice, the choice is a recorded parameter of the baseline
 * designation (`criteria`), so a derivation can be repeated exactly; docs/adr/0010 lists them.
 */

export const RESPONSE_CATEGORIES = ['baseline', 'CR', 'PR', 'MR', 'SD', 'PD', 'NE'] as const;
/** CR complete, PR partial, MR minor (non-enhancing tumours only), SD stable, PD progressive, NE not evaluable. */
export type ResponseCategory = (typeof RESPONSE_CATEGORIES)[number];
export const CONFIRMATION_STATUSES = ['not-applicable', 'pending', 'confirmed', 'not-confirmed', 'not-required'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];
export type ConfirmationOutcome = 'confirmed' | 'not-confirmed';

export const BASELINE_KINDS = ['post-radiotherapy', 'pre-treatment', 'post-operative'] as const;
export type BaselineKind = (typeof BASELINE_KINDS)[number];
export const ASSESSED_COMPONENTS = ['enhancing', 'non-enhancing'] as const;
export type AssessedComponent = (typeof ASSESSED_COMPONENTS)[number];
export const MEASUREMENT_METHODS = ['bidimensional', 'volumetric'] as const;
export type MeasurementMethod = (typeof MEASUREMENT_METHODS)[number];
export const LESION_ROLES = ['target', 'non-target', 'new'] as const;
export type LesionRole = (typeof LESION_ROLES)[number];
export const NON_TARGET_STATUSES = ['absent', 'present', 'unequivocal-progression'] as const;
export type NonTargetStatus = (typeof NON_TARGET_STATUSES)[number];
export const CLINICAL_STATUSES = ['improved', 'stable', 'deteriorated'] as const;
export type ClinicalStatus = (typeof CLINICAL_STATUSES)[number];
/** RANO 2010 Table 2: deterioration counts only when "not attributable to other causes apart from the tumour" (nor to a corticosteroid decrease). */
export const DETERIORATION_CAUSES = ['tumour', 'other-cause', 'corticosteroid-decrease'] as const;
export type DeteriorationCause = (typeof DETERIORATION_CAUSES)[number];
/**
 * RANO 2.0: a confirmation scan for suspected progression within 12 weeks after the end of
 * radiotherapy; mRANO 2017 (and RANO 2.0 for e.g. immunotherapy trials): always.
 */
export const PROGRESSION_CONFIRMATION_POLICIES = ['within-12-weeks-after-radiotherapy', 'always'] as const;
export type ProgressionConfirmationPolicy = (typeof PROGRESSION_CONFIRMATION_POLICIES)[number];

export interface RanoCriteriaParameters {
  version: 'RANO 2.0';
  /** RANO 2.0: up to three target lesions (RANO 2010 allowed five). */
  maxTargetLesions: number;
  /** RANO 2010 Table 2 ("sustained for at least 4 weeks"), mRANO confirmation scan "≥ 4 weeks later". */
  confirmationMinDays: number;
  progressionConfirmation: ProgressionConfirmationPolicy;
}

export const DEFAULT_RANO_CRITERIA: RanoCriteriaParameters = {
  version: 'RANO 2.0',
  maxTargetLesions: 3,
  confirmationMinDays: 28,
  progressionConfirmation: 'within-12-weeks-after-radiotherapy',
};

/** RANO 2010 / RANO 2.0: the 12-week window after radiotherapy in which pseudoprogression is common. */
export const PSEUDOPROGRESSION_WINDOW_DAYS = 84;

/**
 * Ratios to baseline (response) and to nadir (progression). Bidimensional: PR ≥ 50% decrease of
 * the sum of products of perpendicular diameters, PD ≥ 25% increase (RANO 2010 Table 2, RANO 2.0).
 * Volumetric: PR ≥ 65% decrease, PD ≥ 40% increase (mRANO 2017, RANO 2.0: the sphere-equivalent
 * (0.5)^(3/2) ≈ 0.35 and (1.25)^(3/2) ≈ 1.40). MR (non-enhancing tumours, RANO 2.0 / RANO-LGG
 * 2011): 25% to < 50% decrease; volumetric by the same 3/2 power, (0.75)^(3/2) ≈ 0.65.
 */
export const RANO_THRESHOLDS: Record<MeasurementMethod, { response: number; minorResponse: number; progression: number }> = {
  bidimensional: { response: 0.5, minorResponse: 0.75, progression: 1.25 },
  volumetric: { response: 0.35, minorResponse: 0.65, progression: 1.4 },
};

/** RANO 2010 "measurable disease": both perpendicular diameters ≥ 10 mm (2 × the slice thickness when slices are thicker than 5 mm). */
export const MEASURABLE_MIN_DIAMETER_MM = 10;

/** Every rule the derivation can apply, with the clause it comes from. */
export const RANO_RULES = {
  BASELINE: 'RANO 2.0: measurements are compared with the designated baseline (post-radiotherapy scan in newly diagnosed glioma; mRANO 2017)',
  BASELINE_MEASUREMENT_MISSING: 'a target lesion has no baseline measurement by this reader: nothing can be compared with it',
  BASELINE_VOLUME_MISSING: 'volumetric assessment without a baseline volume',
  TARGET_NOT_MEASURABLE_AT_BASELINE: 'RANO 2010 measurable disease: both perpendicular diameters ≥ 10 mm; a target that is not measurable is followed as non-target',
  TARGETS_CAPPED: 'RANO 2.0: at most the configured number of target lesions',
  BEFORE_BASELINE: 'scans before the baseline are not assessed',
  AFTER_CONFIRMED_PROGRESSION: 'assessment ends at confirmed progression (the progression endpoint)',
  TARGET_SUM_INCREASE_FROM_NADIR: 'RANO 2010 Table 2 / RANO 2.0: PD, ≥ 25% increase of the sum of products (≥ 40% volume) from the smallest sum (nadir, baseline included)',
  TARGET_REAPPEARANCE_AFTER_COMPLETE_RESPONSE: 'RANO 2010: after complete disappearance (nadir 0), a measurable target lesion again is progression',
  NEW_MEASURABLE_LESION: 'RANO 2.0: a new measurable lesion is progression (a new non-measurable one is followed and counts when it becomes measurable)',
  NON_TARGET_UNEQUIVOCAL_PROGRESSION: 'RANO 2010 Table 2: unequivocal progression of non-target lesions',
  CLINICAL_DETERIORATION: 'RANO 2010 Table 2: clear clinical deterioration attributable to the tumour (not to other causes or a corticosteroid decrease)',
  PRELIMINARY_PD_CONFIRMATION_REQUIRED: 'RANO 2.0 / mRANO 2017: suspected progression (within 12 weeks after radiotherapy, or always under the mRANO policy) is preliminary until a confirmation scan ≥ 4 weeks later',
  PD_NEW_LESION_OUTSIDE_RADIATION_FIELD: 'RANO 2010 Table 1 note: within 12 weeks after radiotherapy a new lesion mostly outside the radiation field (80% isodose) is progression without confirmation',
  PD_CLINICAL_NO_CONFIRMATION: 'clinical deterioration is progression without an imaging confirmation scan',
  PD_NO_CONFIRMATION_REQUIRED: 'RANO 2.0: beyond 12 weeks after radiotherapy progression needs no confirmation scan',
  FURTHER_TARGET_INCREASE_FROM_PRELIMINARY_PD: 'mRANO 2017 / RANO 2.0: PD confirmed by a further ≥ 25% increase (≥ 40% volume) from the preliminary PD scan; progression dates from the preliminary scan',
  FURTHER_NEW_MEASURABLE_LESION: 'mRANO 2017: a new measurable lesion on the confirmation scan confirms progression',
  FURTHER_NON_TARGET_PROGRESSION: 'mRANO 2017: unequivocal non-target progression on the confirmation scan confirms progression',
  FURTHER_CLINICAL_DETERIORATION: 'mRANO 2017: clinical deterioration attributable to the tumour confirms progression',
  PRELIMINARY_PD_PERSISTS: 'mRANO 2017: still ≥ 25% above nadir but without further increase: the preliminary PD stands and the next scan is compared with it again',
  PRELIMINARY_PD_NOT_CONFIRMED: 'mRANO 2017 / RANO 2.0: the confirmation scan no longer meets progression: pseudoprogression, the preliminary PD is withdrawn',
  CONFIRMATION_SCAN_TOO_EARLY: 'RANO 2010 / mRANO 2017: a confirmation scan must be ≥ 4 weeks after the scan it confirms',
  TARGET_MEASUREMENT_MISSING: 'a target lesion was not measured at this timepoint by this reader and no progression criterion is met: not evaluable',
  COMPLETE_RESPONSE: 'RANO 2010 Table 2 / RANO 2.0: disappearance of all target and non-target disease, no new lesions, no corticosteroids (physiological replacement allowed), clinically stable or improved',
  PARTIAL_RESPONSE: 'RANO 2010 Table 2 / RANO 2.0: ≥ 50% decrease of the sum of products (≥ 65% volume) from baseline, no non-target progression, no new lesions, corticosteroids not above baseline, clinically stable or improved',
  MINOR_RESPONSE: 'RANO 2.0 (non-enhancing tumours): 25% to < 50% decrease of the sum of products from baseline, same conditions as PR',
  RESPONSE_SIZE_BUT_NEW_LESION: 'RANO 2010 Table 2: no response while a new (non-measurable) lesion is present',
  RESPONSE_SIZE_BUT_CORTICOSTEROIDS_ABOVE_BASELINE: 'RANO 2010 Table 2: PR requires a corticosteroid dose not above the baseline dose (an increase alone is not progression)',
  COMPLETE_SIZE_BUT_CORTICOSTEROIDS: 'RANO 2010 Table 2: CR requires no corticosteroids beyond physiological replacement',
  RESPONSE_SIZE_BUT_CLINICAL_WORSE: 'RANO 2010 Table 2: response requires a stable or improved clinical status',
  NON_TARGET_NOT_ASSESSED: 'CR requires every non-target lesion to be assessed absent',
  CLINICAL_DATA_REQUIRED: 'response (CR/PR/MR) requires corticosteroid dose and clinical status at this timepoint and at baseline',
  STABLE_DISEASE: 'RANO 2010 Table 2 / RANO 2.0: neither CR, PR (MR) nor PD',
  RESPONSE_CONFIRMATION_PENDING: 'RANO 2010 / RANO 2.0: CR, PR and MR must be sustained on a scan ≥ 4 weeks later',
  RESPONSE_CONFIRMED: 'RANO 2010 / RANO 2.0: the response is sustained on a scan ≥ 4 weeks later (confirmed at the lower of the two categories)',
  RESPONSE_NOT_CONFIRMED: 'RANO 2010 / RANO 2.0: the next scan did not sustain the response',
  RESPONSE_SUSTAINED: 'a confirmed response continues',
} as const;
export type RanoRule = keyof typeof RANO_RULES;

export interface RanoBaseline {
  timepointId: string;
  kind: BaselineKind;
  radiotherapyEndStudyDay: number | null;
  component: AssessedComponent;
  method: MeasurementMethod;
  criteria: RanoCriteriaParameters;
}

export interface RanoTimepoint {
  timepointId: string;
  studyDay: number;
  imageIds: readonly string[];
}

export interface RanoLesion {
  lesionId: string;
  /** The timepoint at which it was identified (baseline for target/non-target). */
  timepointId: string;
  role: LesionRole;
  component: AssessedComponent;
  outsideRadiationField: boolean | null;
}

export interface RanoMeasurement {
  timepointId: string;
  lesionId: string;
  readerId: string;
  longestDiameterMm: number;
  perpendicularDiameterMm: number;
  volumeMm3: number | null;
  sliceThicknessMm: number | null;
  imageId: string;
  segmentationId: string | null;
  maskVersionId: string | null;
}

export interface RanoClinical {
  timepointId: string;
  dexamethasoneMgPerDay: number;
  physiologicReplacementOnly: boolean;
  status: ClinicalStatus;
  deteriorationCause: DeteriorationCause | null;
}

/** Everything recorded about one subject's response assessment (the decider's state is this). */
export interface ResponseRecord {
  trialId: string | null;
  subjectId: string | null;
  baseline: RanoBaseline | null;
  timepoints: Readonly<Record<string, RanoTimepoint>>;
  /** Lesions in identification order. */
  lesions: readonly RanoLesion[];
  /** Latest measurement per `timepointId|lesionId|readerId`. */
  measurements: Readonly<Record<string, RanoMeasurement>>;
  /** Latest non-target call per `timepointId|lesionId|readerId`. */
  nonTargetCalls: Readonly<Record<string, NonTargetStatus>>;
  clinical: Readonly<Record<string, RanoClinical>>;
}

export const recordKey = (timepointId: string, lesionId: string, readerId: string) => `${timepointId}|${lesionId}|${readerId}`;

export interface MeasurementUse {
  lesionId: string;
  role: LesionRole;
  longestDiameterMm: number;
  perpendicularDiameterMm: number;
  /** Product of the perpendicular diameters (mm²). */
  product: number;
  volumeMm3: number | null;
  measurable: boolean;
  imageId: string;
  segmentationId: string | null;
  maskVersionId: string | null;
}

export interface DerivationStep {
  rule: RanoRule;
  clause: string;
  detail: string;
}

export interface TimepointDerivation {
  timepointId: string;
  studyDay: number;
  readerId: string;
  category: ResponseCategory;
  /** As known from all the data given (a later scan may have confirmed or refuted it). */
  confirmation: ConfirmationStatus;
  /** For a confirmed response, the category the confirmation established (a CR sustained only as a PR is confirmed as PR). */
  confirmedAs: ResponseCategory | null;
  targetSum: number | null;
  baselineSum: number | null;
  nadirSum: number | null;
  /** (targetSum − baselineSum) / baselineSum, and the same from nadir; null when undefined. */
  changeFromBaseline: number | null;
  changeFromNadir: number | null;
  measurements: MeasurementUse[];
  nonTarget: Array<{ lesionId: string; status: NonTargetStatus | 'not-assessed' }>;
  newLesions: Array<{ lesionId: string; measurable: boolean; present: boolean; outsideRadiationField: boolean | null }>;
  imageIds: readonly string[];
  steps: DerivationStep[];
  resolves: Array<{ timepointId: string; category: ResponseCategory; outcome: ConfirmationOutcome }>;
  /** Set on the timepoint that establishes progression: the study day progression dates from. */
  progressionStudyDay: number | null;
}

export interface ResponseDerivation {
  readerId: string;
  method: MeasurementMethod | null;
  timepoints: TimepointDerivation[];
  /** Study day of (confirmed or not-requiring-confirmation) progression, if any. */
  progressionStudyDay: number | null;
  /** Best confirmed response (CR > PR > MR), else SD, else PD, else NE. */
  bestOverallResponse: ResponseCategory;
}

const EPS = 1e-9;
/** a ≥ k·b and a ≤ k·b with a relative tolerance for decimal diameters (12.1 × 9.9 is not exact in binary). */
const atLeast = (a: number, b: number) => a >= b - EPS * Math.max(1, Math.abs(b));
const atMost = (a: number, b: number) => a <= b + EPS * Math.max(1, Math.abs(b));
const RANK: Partial<Record<ResponseCategory, number>> = { MR: 1, PR: 2, CR: 3 };

export function isMeasurable(m: Pick<RanoMeasurement, 'longestDiameterMm' | 'perpendicularDiameterMm' | 'sliceThicknessMm'>): boolean {
  const min = m.sliceThicknessMm !== null && m.sliceThicknessMm > 5 ? Math.max(MEASURABLE_MIN_DIAMETER_MM, 2 * m.sliceThicknessMm) : MEASURABLE_MIN_DIAMETER_MM;
  return m.longestDiameterMm >= min && m.perpendicularDiameterMm >= min;
}

function use(lesion: RanoLesion, m: RanoMeasurement): MeasurementUse {
  return {
    lesionId: lesion.lesionId,
    role: lesion.role,
    longestDiameterMm: m.longestDiameterMm,
    perpendicularDiameterMm: m.perpendicularDiameterMm,
    product: m.longestDiameterMm * m.perpendicularDiameterMm,
    volumeMm3: m.volumeMm3,
    measurable: isMeasurable(m),
    imageId: m.imageId,
    segmentationId: m.segmentationId,
    maskVersionId: m.maskVersionId,
  };
}

export interface DeriveOptions {
  /** Derive as known when this timepoint was read: later timepoints are ignored. */
  upToTimepointId?: string;
}

/**
 * Per timepoint, one reader's RANO 2.0 category with its derivation trail: which measurements
 * were summed, which sums were compared (baseline for response, nadir for progression), which
 * rule decided, and which earlier preliminary categories the timepoint confirmed or refuted.
 */
export function deriveResponse(record: ResponseRecord, readerId: string, options: DeriveOptions = {}): ResponseDerivation {
  const baseline = record.baseline;
  const out: ResponseDerivation = { readerId, method: baseline?.method ?? null, timepoints: [], progressionStudyDay: null, bestOverallResponse: 'NE' };
  if (!baseline) return out;
  const baseTp = record.timepoints[baseline.timepointId];
  if (!baseTp) return out;
  const criteria = baseline.criteria;
  const thresholds = RANO_THRESHOLDS[baseline.method];
  const volumetric = baseline.method === 'volumetric';
  let ordered = Object.values(record.timepoints)
    .filter((t) => t.studyDay > baseTp.studyDay)
    .sort((a, b) => a.studyDay - b.studyDay || a.timepointId.localeCompare(b.timepointId));
  if (options.upToTimepointId !== undefined) {
    const last = record.timepoints[options.upToTimepointId];
    ordered = last ? ordered.filter((t) => t.studyDay < last.studyDay || t.timepointId === last.timepointId || (t.studyDay === last.studyDay && t.timepointId < last.timepointId)) : [];
  }
  const measurement = (tp: string, lesionId: string) => record.measurements[recordKey(tp, lesionId, readerId)];
  const step = (steps: DerivationStep[], rule: RanoRule, detail: string) => steps.push({ rule, clause: RANO_RULES[rule], detail });
  const size = (m: RanoMeasurement) => (volumetric ? (m.volumeMm3 ?? NaN) : m.longestDiameterMm * m.perpendicularDiameterMm);
  const unit = volumetric ? 'mm³' : 'mm²';

  // Baseline: targets (assessed component, identified at baseline), measurable per this reader.
  const baseSteps: DerivationStep[] = [];
  const assessed = record.lesions.filter((l) => l.component === baseline.component);
  let declaredTargets = assessed.filter((l) => l.role === 'target' && l.timepointId === baseline.timepointId);
  if (declaredTargets.length > criteria.maxTargetLesions) {
    step(baseSteps, 'TARGETS_CAPPED', `${declaredTargets.length} targets declared; the first ${criteria.maxTargetLesions} are used`);
    declaredTargets = declaredTargets.slice(0, criteria.maxTargetLesions);
  }
  const targets: RanoLesion[] = [];
  const demoted: RanoLesion[] = [];
  const baseUses: MeasurementUse[] = [];
  let baselineEvaluable = true;
  for (const lesion of declaredTargets) {
    const m = measurement(baseline.timepointId, lesion.lesionId);
    if (!m) {
      baselineEvaluable = false;
      step(baseSteps, 'BASELINE_MEASUREMENT_MISSING', `target ${lesion.lesionId} has no baseline measurement by ${readerId}`);
      continue;
    }
    baseUses.push(use(lesion, m));
    if (!isMeasurable(m)) {
      demoted.push(lesion);
      step(baseSteps, 'TARGET_NOT_MEASURABLE_AT_BASELINE', `${lesion.lesionId}: ${m.longestDiameterMm} × ${m.perpendicularDiameterMm} mm`);
      continue;
    }
    if (volumetric && m.volumeMm3 === null) {
      baselineEvaluable = false;
      step(baseSteps, 'BASELINE_VOLUME_MISSING', `target ${lesion.lesionId} has no baseline volume by ${readerId}`);
      continue;
    }
    targets.push(lesion);
  }
  const nonTargets = [...assessed.filter((l) => l.role === 'non-target' && l.timepointId === baseline.timepointId), ...demoted];
  const newLesions = assessed.filter((l) => l.role === 'new');
  const baselineSum = targets.reduce((s, l) => s + size(measurement(baseline.timepointId, l.lesionId)!), 0);
  step(baseSteps, 'BASELINE', `${targets.length} measurable target lesion(s), sum ${fmt(baselineSum)} ${unit}`);
  const baseClinical = record.clinical[baseline.timepointId];
  out.timepoints.push({
    timepointId: baseTp.timepointId,
    studyDay: baseTp.studyDay,
    readerId,
    category: baselineEvaluable ? 'baseline' : 'NE',
    confirmation: 'not-applicable',
    confirmedAs: null,
    targetSum: baselineEvaluable ? baselineSum : null,
    baselineSum: baselineEvaluable ? baselineSum : null,
    nadirSum: baselineEvaluable ? baselineSum : null,
    changeFromBaseline: null,
    changeFromNadir: null,
    measurements: baseUses,
    nonTarget: nonTargets.map((l) => ({ lesionId: l.lesionId, status: record.nonTargetCalls[recordKey(baseline.timepointId, l.lesionId, readerId)] ?? 'not-assessed' })),
    newLesions: [],
    imageIds: baseTp.imageIds,
    steps: baseSteps,
    resolves: [],
    progressionStudyDay: null,
  });
  if (!baselineEvaluable) {
    for (const t of ordered) out.timepoints.push(notEvaluable(t, readerId, 'BASELINE_MEASUREMENT_MISSING', 'the baseline is not evaluable for this reader'));
    return out;
  }

  let nadir = baselineSum;
  let pendingPd: { derivation: TimepointDerivation; sum: number | null } | null = null;
  /** The first scan of an unconfirmed response and the scans since (settled together). */
  let pendingResponse: { derivation: TimepointDerivation; category: ResponseCategory; episode: TimepointDerivation[] } | null = null;
  let confirmedLevel: ResponseCategory | null = null;
  let progressed = false;
  const firstMeasurableAt = new Map<string, number>();
  const byId = new Map<string, TimepointDerivation>();

  for (const t of ordered) {
    if (progressed) {
      out.timepoints.push(notEvaluable(t, readerId, 'AFTER_CONFIRMED_PROGRESSION', `progression from study day ${out.progressionStudyDay}`));
      continue;
    }
    const steps: DerivationStep[] = [];
    const uses: MeasurementUse[] = [];
    const missing: string[] = [];
    let sum = 0;
    for (const lesion of targets) {
      const m = measurement(t.timepointId, lesion.lesionId);
      if (!m || (volumetric && m.volumeMm3 === null)) {
        missing.push(lesion.lesionId);
        continue;
      }
      uses.push(use(lesion, m));
      sum += size(m);
    }
    const complete = missing.length === 0;
    const nonTargetCalls = nonTargets.map((l) => {
      const call = record.nonTargetCalls[recordKey(t.timepointId, l.lesionId, readerId)];
      if (call) return { lesionId: l.lesionId, status: call };
      // A target demoted at baseline and measured again: absent when it measures 0 × 0.
      const m = demoted.includes(l) ? measurement(t.timepointId, l.lesionId) : undefined;
      return { lesionId: l.lesionId, status: m ? (m.longestDiameterMm === 0 ? ('absent' as const) : ('present' as const)) : ('not-assessed' as const) };
    });
    const visibleNew = newLesions
      .filter((l) => (record.timepoints[l.timepointId]?.studyDay ?? Infinity) <= t.studyDay)
      .map((l) => {
        const m = measurement(t.timepointId, l.lesionId);
        if (m) uses.push(use(l, m));
        const measurable = m ? isMeasurable(m) : false;
        if (measurable && !firstMeasurableAt.has(l.lesionId)) firstMeasurableAt.set(l.lesionId, t.studyDay);
        return { lesionId: l.lesionId, measurable, present: m ? m.longestDiameterMm > 0 : true, outsideRadiationField: l.outsideRadiationField };
      });
    const clinical = record.clinical[t.timepointId];
    const derivation: TimepointDerivation = {
      timepointId: t.timepointId,
      studyDay: t.studyDay,
      readerId,
      category: 'NE',
      confirmation: 'not-applicable',
      confirmedAs: null,
      targetSum: complete ? sum : null,
      baselineSum,
      nadirSum: nadir,
      changeFromBaseline: complete && baselineSum > 0 ? (sum - baselineSum) / baselineSum : null,
      changeFromNadir: complete && nadir > 0 ? (sum - nadir) / nadir : null,
      measurements: uses,
      nonTarget: nonTargetCalls,
      newLesions: visibleNew,
      imageIds: t.imageIds,
      steps,
      resolves: [],
      progressionStudyDay: null,
    };
    byId.set(t.timepointId, derivation);
    out.timepoints.push(derivation);

    // Progression criteria against the nadir (a partial sum already above the threshold counts).
    const pdRules: RanoRule[] = [];
    if (targets.length > 0 && nadir > 0 && atLeast(sum, thresholds.progression * nadir)) {
      pdRules.push('TARGET_SUM_INCREASE_FROM_NADIR');
      step(steps, 'TARGET_SUM_INCREASE_FROM_NADIR', `sum ${fmt(sum)} ${unit} ≥ ${thresholds.progression} × nadir ${fmt(nadir)} ${unit}`);
    } else if (targets.length > 0 && nadir === 0 && uses.some((u) => u.role === 'target' && u.measurable)) {
      pdRules.push('TARGET_REAPPEARANCE_AFTER_COMPLETE_RESPONSE');
      step(steps, 'TARGET_REAPPEARANCE_AFTER_COMPLETE_RESPONSE', `measurable target lesion after nadir 0`);
    }
    const newlyMeasurable = visibleNew.filter((n) => firstMeasurableAt.get(n.lesionId) === t.studyDay);
    if (newlyMeasurable.length > 0) {
      pdRules.push('NEW_MEASURABLE_LESION');
      step(steps, 'NEW_MEASURABLE_LESION', newlyMeasurable.map((n) => n.lesionId).join(', '));
    }
    const nonTargetProgressed = nonTargetCalls.filter((c) => c.status === 'unequivocal-progression');
    if (nonTargetProgressed.length > 0) {
      pdRules.push('NON_TARGET_UNEQUIVOCAL_PROGRESSION');
      step(steps, 'NON_TARGET_UNEQUIVOCAL_PROGRESSION', nonTargetProgressed.map((c) => c.lesionId).join(', '));
    }
    const clinicalPd = clinical?.status === 'deteriorated' && clinical.deteriorationCause === 'tumour';
    if (clinicalPd) {
      pdRules.push('CLINICAL_DETERIORATION');
      step(steps, 'CLINICAL_DETERIORATION', 'deterioration attributed to the tumour');
    }

    // An open preliminary PD is settled by the first scan ≥ confirmationMinDays after it.
    if (pendingPd) {
      const prelim = pendingPd.derivation;
      const days = t.studyDay - prelim.studyDay;
      if (days >= criteria.confirmationMinDays) {
        const further: RanoRule[] = [];
        if (pendingPd.sum !== null && pendingPd.sum > 0 && atLeast(sum, thresholds.progression * pendingPd.sum)) {
          further.push('FURTHER_TARGET_INCREASE_FROM_PRELIMINARY_PD');
          step(steps, 'FURTHER_TARGET_INCREASE_FROM_PRELIMINARY_PD', `sum ${fmt(sum)} ${unit} ≥ ${thresholds.progression} × ${fmt(pendingPd.sum)} ${unit} at ${prelim.timepointId}`);
        }
        const laterNew = visibleNew.filter((n) => (firstMeasurableAt.get(n.lesionId) ?? Infinity) > prelim.studyDay);
        if (laterNew.length > 0) {
          further.push('FURTHER_NEW_MEASURABLE_LESION');
          step(steps, 'FURTHER_NEW_MEASURABLE_LESION', laterNew.map((n) => n.lesionId).join(', '));
        }
        if (nonTargetProgressed.length > 0) {
          further.push('FURTHER_NON_TARGET_PROGRESSION');
          step(steps, 'FURTHER_NON_TARGET_PROGRESSION', nonTargetProgressed.map((c) => c.lesionId).join(', '));
        }
        if (clinicalPd) {
          further.push('FURTHER_CLINICAL_DETERIORATION');
          step(steps, 'FURTHER_CLINICAL_DETERIORATION', 'deterioration attributed to the tumour');
        }
        if (further.length > 0) {
          derivation.category = 'PD';
          derivation.confirmation = 'confirmed';
          derivation.resolves.push({ timepointId: prelim.timepointId, category: 'PD', outcome: 'confirmed' });
          prelim.confirmation = 'confirmed';
          derivation.progressionStudyDay = prelim.studyDay;
          out.progressionStudyDay = prelim.studyDay;
          progressed = true;
          pendingPd = null;
          continue;
        }
        if (pdRules.length > 0) {
          derivation.category = 'PD';
          derivation.confirmation = 'pending';
          step(steps, 'PRELIMINARY_PD_PERSISTS', `no further increase from ${prelim.timepointId}`);
          continue;
        }
        derivation.resolves.push({ timepointId: prelim.timepointId, category: 'PD', outcome: 'not-confirmed' });
        prelim.confirmation = 'not-confirmed';
        step(steps, 'PRELIMINARY_PD_NOT_CONFIRMED', `${prelim.timepointId} (study day ${prelim.studyDay}) was pseudoprogression`);
        pendingPd = null;
      } else {
        step(steps, 'CONFIRMATION_SCAN_TOO_EARLY', `${days} days after ${prelim.timepointId}; ${criteria.confirmationMinDays} needed`);
        if (pdRules.length > 0) {
          derivation.category = 'PD';
          derivation.confirmation = 'pending';
          continue;
        }
      }
    }

    if (pdRules.length > 0) {
      if (pendingResponse) {
        derivation.resolves.push({ timepointId: pendingResponse.derivation.timepointId, category: pendingResponse.category, outcome: 'not-confirmed' });
        for (const e of pendingResponse.episode) e.confirmation = 'not-confirmed';
        step(steps, 'RESPONSE_NOT_CONFIRMED', pendingResponse.derivation.timepointId);
        pendingResponse = null;
      }
      confirmedLevel = null;
      derivation.category = 'PD';
      const inWindow = baseline.radiotherapyEndStudyDay !== null && t.studyDay - baseline.radiotherapyEndStudyDay <= PSEUDOPROGRESSION_WINDOW_DAYS;
      const onlyNewOutsideField =
        pdRules.every((r) => r === 'NEW_MEASURABLE_LESION') && newlyMeasurable.every((n) => n.outsideRadiationField === true);
      if (clinicalPd) {
        step(steps, 'PD_CLINICAL_NO_CONFIRMATION', 'clinical progression');
      } else if (criteria.progressionConfirmation === 'always' || inWindow) {
        if (inWindow && onlyNewOutsideField) {
          step(steps, 'PD_NEW_LESION_OUTSIDE_RADIATION_FIELD', newlyMeasurable.map((n) => n.lesionId).join(', '));
        } else {
          derivation.confirmation = 'pending';
          step(steps, 'PRELIMINARY_PD_CONFIRMATION_REQUIRED', criteria.progressionConfirmation === 'always' ? 'policy: always' : `${t.studyDay - baseline.radiotherapyEndStudyDay!} days after radiotherapy`);
          pendingPd = { derivation, sum: complete ? sum : null };
          continue;
        }
      } else {
        step(steps, 'PD_NO_CONFIRMATION_REQUIRED', baseline.radiotherapyEndStudyDay === null ? 'no radiotherapy recorded' : `${t.studyDay - baseline.radiotherapyEndStudyDay} days after radiotherapy`);
      }
      derivation.confirmation = 'not-required';
      derivation.progressionStudyDay = t.studyDay;
      out.progressionStudyDay = t.studyDay;
      progressed = true;
      continue;
    }

    if (!complete) {
      step(steps, 'TARGET_MEASUREMENT_MISSING', missing.join(', '));
      continue;
    }
    nadir = Math.min(nadir, sum);

    // Response: CR, then PR, then MR (non-enhancing), else SD.
    const newPresent = visibleNew.filter((n) => n.present);
    const baseDose = baseClinical?.dexamethasoneMgPerDay;
    const category = responseCategory();
    derivation.category = category;
    function responseCategory(): ResponseCategory {
      const hasDisease = targets.length > 0 || nonTargets.length > 0;
      const allNonTargetAbsent = nonTargetCalls.every((c) => c.status === 'absent');
      const sizeCr = hasDisease && sum === 0 && allNonTargetAbsent;
      const sizePr = targets.length > 0 && baselineSum > 0 && atMost(sum, thresholds.response * baselineSum);
      const sizeMr = baseline!.component === 'non-enhancing' && targets.length > 0 && baselineSum > 0 && atMost(sum, thresholds.minorResponse * baselineSum);
      if (hasDisease && sum === 0 && !allNonTargetAbsent && nonTargetCalls.some((c) => c.status === 'not-assessed')) {
        step(steps, 'NON_TARGET_NOT_ASSESSED', nonTargetCalls.filter((c) => c.status === 'not-assessed').map((c) => c.lesionId).join(', '));
      }
      if (!sizeCr && !sizePr && !sizeMr) {
        step(steps, 'STABLE_DISEASE', complete && baselineSum > 0 ? `sum ${fmt(sum)} ${unit}, ${pct((sum - baselineSum) / baselineSum)} from baseline, ${nadir > 0 ? pct((sum - nadir) / nadir) : 'n/a'} from nadir` : 'no measurable change criterion met');
        return 'SD';
      }
      if (newPresent.length > 0) {
        step(steps, 'RESPONSE_SIZE_BUT_NEW_LESION', newPresent.map((n) => n.lesionId).join(', '));
        return 'SD';
      }
      if (!clinical || !baseClinical) {
        step(steps, 'CLINICAL_DATA_REQUIRED', !clinical ? `none recorded at ${t.timepointId}` : 'none recorded at baseline');
        return 'NE';
      }
      if (clinical.status === 'deteriorated') {
        step(steps, 'RESPONSE_SIZE_BUT_CLINICAL_WORSE', `deteriorated (${clinical.deteriorationCause ?? 'cause not given'})`);
        return 'SD';
      }
      if (sizeCr) {
        if (clinical.dexamethasoneMgPerDay === 0 || clinical.physiologicReplacementOnly) {
          step(steps, 'COMPLETE_RESPONSE', `sum 0 ${unit}, ${nonTargetCalls.length} non-target lesion(s) absent, dexamethasone ${clinical.dexamethasoneMgPerDay} mg/day${clinical.physiologicReplacementOnly ? ' (physiological replacement)' : ''}`);
          return 'CR';
        }
        step(steps, 'COMPLETE_SIZE_BUT_CORTICOSTEROIDS', `dexamethasone ${clinical.dexamethasoneMgPerDay} mg/day`);
      }
      const steroidsOk = clinical.physiologicReplacementOnly || clinical.dexamethasoneMgPerDay <= (baseDose ?? 0);
      if (!steroidsOk) {
        step(steps, 'RESPONSE_SIZE_BUT_CORTICOSTEROIDS_ABOVE_BASELINE', `dexamethasone ${clinical.dexamethasoneMgPerDay} mg/day > baseline ${baseDose} mg/day`);
        return 'SD';
      }
      if (sizePr) {
        step(steps, 'PARTIAL_RESPONSE', `sum ${fmt(sum)} ${unit} ≤ ${thresholds.response} × baseline ${fmt(baselineSum)} ${unit} (${pct((sum - baselineSum) / baselineSum)})`);
        return 'PR';
      }
      if (sizeMr) {
        step(steps, 'MINOR_RESPONSE', `sum ${fmt(sum)} ${unit} ≤ ${thresholds.minorResponse} × baseline ${fmt(baselineSum)} ${unit} (${pct((sum - baselineSum) / baselineSum)})`);
        return 'MR';
      }
      step(steps, 'STABLE_DISEASE', 'size meets CR only with corticosteroids above physiological replacement and no PR by size');
      return 'SD';
    }

    // Confirmation of responses (sustained ≥ confirmationMinDays).
    if (RANK[category] !== undefined) {
      if (pendingResponse) {
        const p = pendingResponse;
        const days = t.studyDay - p.derivation.studyDay;
        if (days >= criteria.confirmationMinDays) {
          const confirmedAs = RANK[category]! < RANK[p.category]! ? category : p.category;
          derivation.resolves.push({ timepointId: p.derivation.timepointId, category: confirmedAs, outcome: 'confirmed' });
          for (const e of p.episode) {
            e.confirmation = 'confirmed';
            e.confirmedAs = RANK[e.category]! < RANK[confirmedAs]! ? e.category : confirmedAs;
          }
          step(steps, 'RESPONSE_CONFIRMED', `${p.derivation.timepointId} confirmed as ${confirmedAs} after ${days} days`);
          confirmedLevel = confirmedAs;
          pendingResponse = null;
          if (RANK[category]! > RANK[confirmedAs]!) {
            derivation.confirmation = 'pending';
            step(steps, 'RESPONSE_CONFIRMATION_PENDING', `${category} needs its own confirmation`);
            pendingResponse = { derivation, category, episode: [derivation] };
          } else {
            derivation.confirmation = 'confirmed';
            derivation.confirmedAs = category;
          }
        } else {
          derivation.confirmation = 'pending';
          p.episode.push(derivation);
          step(steps, 'CONFIRMATION_SCAN_TOO_EARLY', `${days} days after ${p.derivation.timepointId}; ${criteria.confirmationMinDays} needed`);
        }
      } else if (confirmedLevel !== null && RANK[category]! <= RANK[confirmedLevel]!) {
        derivation.confirmation = 'confirmed';
        derivation.confirmedAs = category;
        step(steps, 'RESPONSE_SUSTAINED', `confirmed ${confirmedLevel} continues`);
      } else {
        derivation.confirmation = 'pending';
        step(steps, 'RESPONSE_CONFIRMATION_PENDING', `needs a scan ≥ ${criteria.confirmationMinDays} days later`);
        pendingResponse = { derivation, category, episode: [derivation] };
      }
    } else if (category === 'SD') {
      if (pendingResponse) {
        derivation.resolves.push({ timepointId: pendingResponse.derivation.timepointId, category: pendingResponse.category, outcome: 'not-confirmed' });
        for (const e of pendingResponse.episode) e.confirmation = 'not-confirmed';
        step(steps, 'RESPONSE_NOT_CONFIRMED', pendingResponse.derivation.timepointId);
        pendingResponse = null;
      }
      confirmedLevel = null;
    }
  }
  out.bestOverallResponse = bestOverall(out.timepoints);
  return out;
}

function bestOverall(timepoints: readonly TimepointDerivation[]): ResponseCategory {
  let best: ResponseCategory | null = null;
  for (const t of timepoints) {
    if (t.confirmedAs !== null && (best === null || RANK[t.confirmedAs]! > RANK[best]!)) best = t.confirmedAs;
  }
  if (best) return best;
  if (timepoints.some((t) => t.category === 'SD' || (RANK[t.category] !== undefined && t.category !== 'baseline'))) return 'SD';
  if (timepoints.some((t) => t.category === 'PD' && t.confirmation !== 'not-confirmed' && t.confirmation !== 'pending')) return 'PD';
  return 'NE';
}

function notEvaluable(t: RanoTimepoint, readerId: string, rule: RanoRule, detail: string): TimepointDerivation {
  return {
    timepointId: t.timepointId,
    studyDay: t.studyDay,
    readerId,
    category: 'NE',
    confirmation: 'not-applicable',
    confirmedAs: null,
    targetSum: null,
    baselineSum: null,
    nadirSum: null,
    changeFromBaseline: null,
    changeFromNadir: null,
    measurements: [],
    nonTarget: [],
    newLesions: [],
    imageIds: t.imageIds,
    steps: [{ rule, clause: RANO_RULES[rule], detail }],
    resolves: [],
    progressionStudyDay: null,
  };
}

const fmt = (x: number) => String(Math.round(x * 1000) / 1000);
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(Math.round(x * 1000) / 10).toFixed(1)}%`;
