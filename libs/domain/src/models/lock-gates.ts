/**
 * Lock gates from the change-control plan (issue 15), as a pure evaluation the models decider can
 * call before appending ModelLocked: each gate is checked, a refused lock names the first failing
 * gate's code, and ModelLocked can carry every result so the dossier shows which gates each lock met.
 *
 * Sources: FDA, "Marketing Submission Recommendations for a Predetermined Change Control Plan for
 * AI-Enabled Device Software Functions" (2024): validation methods, performance with confidence
 * intervals, independence of test data; Lohmann et al., Lancet Digit Health 2022: validation on
 * at least three independent centres, segmentation reliability ICC > 0.75.
 */

export const LOCK_GATES = ['independent-validator', 'independent-sites', 'intended-use', 'metrics-with-ci', 'feature-reliability'] as const;
export type LockGate = (typeof LOCK_GATES)[number];

export const LOCK_GATE_CODES: Record<LockGate, string> = {
  'independent-validator': 'LOCK_GATE_VALIDATOR_NOT_INDEPENDENT',
  'independent-sites': 'LOCK_GATE_TOO_FEW_INDEPENDENT_SITES',
  'intended-use': 'LOCK_GATE_INTENDED_USE_NOT_IN_PLAN',
  'metrics-with-ci': 'LOCK_GATE_METRIC_WITHOUT_CI',
  'feature-reliability': 'LOCK_GATE_FEATURES_UNRELIABLE',
};

/** What a change-control plan requires before a version may be locked. */
export interface LockGatePolicy {
  /** Default 3 (Lohmann et al. 2022: at least three independent centres). */
  minIndependentSites: number;
  /** Intended-use statements the plan allows (compared without case and spacing differences). */
  allowedIntendedUses: readonly string[];
  /** The metric a classifier (`AUC`) or survival model (`C-index`) must report with its interval. */
  requiredMetric: string;
  /** When set, every model input must reach this ICC (default gate off: null). */
  minFeatureIcc: number | null;
}

export const DEFAULT_LOCK_GATE_POLICY: Omit<LockGatePolicy, 'allowedIntendedUses'> = { minIndependentSites: 3, requiredMetric: 'AUC', minFeatureIcc: null };

export interface LockGateInput {
  /** Who registered the version (its developer). */
  developerId: string;
  intendedUse: string;
  featureCodes: readonly string[];
  /** Sites whose data the version was trained or tuned on. */
  trainingSiteIds: readonly string[];
  /** The passed validation the lock rests on, if any. */
  validation: {
    validationId: string;
    validatedBy: string;
    siteIds: readonly string[];
    metrics: ReadonlyArray<{ metric: string; value: number; ciLower: number | null; ciUpper: number | null }>;
  } | null;
  /** Per IBSI code, the ICC the reliability study recorded (absent: not studied). */
  featureIcc?: Readonly<Record<string, number>>;
}

export interface LockGateResult {
  gate: LockGate;
  code: string;
  passed: boolean;
  detail: string;
}

const normalise = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

export function evaluateLockGates(input: LockGateInput, policy: LockGatePolicy): LockGateResult[] {
  const result = (gate: LockGate, passed: boolean, detail: string): LockGateResult => ({ gate, code: LOCK_GATE_CODES[gate], passed, detail });
  const v = input.validation;
  const training = new Set(input.trainingSiteIds);
  const independent = v ? [...new Set(v.siteIds)].filter((s) => !training.has(s)).sort() : [];
  const metric = v?.metrics.find((m) => normalise(m.metric) === normalise(policy.requiredMetric));
  const results: LockGateResult[] = [
    result(
      'independent-validator',
      v !== null && v.validatedBy !== input.developerId,
      v === null ? 'no passed validation' : v.validatedBy === input.developerId ? `validation ${v.validationId} was recorded by the developer ${input.developerId}` : `validated by ${v.validatedBy}, developed by ${input.developerId}`,
    ),
    result('independent-sites', independent.length >= policy.minIndependentSites, `${independent.length} site(s) not used for training (${independent.join(', ') || 'none'}); ${policy.minIndependentSites} required`),
    result(
      'intended-use',
      policy.allowedIntendedUses.some((u) => normalise(u) === normalise(input.intendedUse)),
      policy.allowedIntendedUses.length === 0 ? 'the plan allows no intended use' : `intended use "${input.intendedUse}" ${policy.allowedIntendedUses.some((u) => normalise(u) === normalise(input.intendedUse)) ? 'is' : 'is not'} one the plan allows`,
    ),
    result(
      'metrics-with-ci',
      metric !== undefined && metric.ciLower !== null && metric.ciUpper !== null && metric.ciLower <= metric.value && metric.value <= metric.ciUpper,
      metric === undefined ? `no ${policy.requiredMetric} in the validation` : metric.ciLower === null || metric.ciUpper === null ? `${policy.requiredMetric} ${metric.value} has no confidence interval` : `${policy.requiredMetric} ${metric.value} (${metric.ciLower}–${metric.ciUpper})`,
    ),
  ];
  if (policy.minFeatureIcc !== null) {
    const min = policy.minFeatureIcc;
    const failing = input.featureCodes.filter((c) => !(input.featureIcc?.[c] !== undefined && input.featureIcc[c]! >= min));
    results.push(result('feature-reliability', failing.length === 0, failing.length === 0 ? `every input has ICC ≥ ${min}` : `below ${min} or not studied: ${failing.join(', ')}`));
  }
  return results;
}
