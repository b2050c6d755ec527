import type { Command } from '../shared/decider.js';
import { S, type Static } from '../shared/schema.js';
import { IMAGING_MODALITIES } from '../imaging/imaging-modality.js';

export const ICC_MODELS = ['ICC(2,1)', 'ICC(3,1)'] as const;

const IccSchema = S.nullable(S.obj({ value: S.num(), ciLower: S.nullable(S.num()), ciUpper: S.nullable(S.num()) }));

/** One feature's agreement between readers (or methods) across subjects (libs/radiomics/src/reliability). */
export const FeatureIccSchema = S.obj({
  featureCode: S.str({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$' }),
  subjects: S.int({ minimum: 0 }),
  icc21: IccSchema,
  icc31: IccSchema,
  meetsThreshold: S.bool(),
});

/**
 * A reliability study as computed by the application from recorded feature sets: two or more
 * segmentations of the same image, each with its features, per feature ICC(2,1) and ICC(3,1)
 * with 95% intervals (McGraw & Wong 1996; ADR 0010).
 */
export const RecordFeatureReliabilityInput = S.obj({
  trialId: S.id(),
  studyId: S.optional(S.id()),
  modality: S.nullable(S.oneOf(IMAGING_MODALITIES)),
  raters: S.list(S.text(200), { minItems: 2 }),
  subjects: S.int({ minimum: 0 }),
  excludedSubjects: S.list(S.obj({ subjectId: S.id(), imageId: S.id(), reason: S.text(500) })),
  threshold: S.num({ minimum: -1, maximum: 1 }),
  model: S.oneOf(ICC_MODELS),
  basis: S.oneOf(['estimate', 'lower-bound'] as const),
  features: S.list(FeatureIccSchema, { minItems: 1 }),
  featureSetIds: S.list(S.id(), { minItems: 2 }),
});
export type RecordFeatureReliability = Command<'RecordFeatureReliability', Static<typeof RecordFeatureReliabilityInput>>;
export type ReliabilityCommand = RecordFeatureReliability;

/** What a caller sends: the feature sets to compare (grouped by image; raters are who made each mask version). */
export const ComputeFeatureReliabilityRequest = S.obj({
  trialId: S.id(),
  studyId: S.optional(S.id('Default: generated (deterministic when options.commandId is given).')),
  featureSetIds: S.list(S.id(), { minItems: 2, maxItems: 5000, description: 'Feature sets of the trial; images with at least two segmentations are compared.' }),
  threshold: S.optional(S.num({ minimum: 0, maximum: 1, description: 'Default 0.75 (Koo & Li 2016; Lohmann et al. 2022).' })),
  model: S.optional(S.oneOf(ICC_MODELS, 'Which ICC decides (default ICC(2,1), absolute agreement).')),
  basis: S.optional(
    S.oneOf(['estimate', 'lower-bound'] as const, 'What meets the threshold: the ICC estimate (default) or, stricter, the lower bound of its 95% confidence interval.'),
  ),
});
export type ComputeFeatureReliabilityRequest = Static<typeof ComputeFeatureReliabilityRequest>;
