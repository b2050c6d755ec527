import { Inject } from '@nestjs/common';
import { Args, Field, Float, InputType, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { defaultRadiomicsSettings } from '@radledger/radiomics';
import { streamIds } from '@radledger/domain';
import type { Runtime } from '@radledger/runtime';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/auth.decorators.js';
import { RUNTIME } from '../ledger/ledger.tokens.js';
import { SignerVerification } from '../auth/signer-verification.js';
import { CommandOptionsInput, CommandResultModel } from './command-io.model.js';
import { CommandSender, plain } from './command-sender.js';
import { SignerCredentialsInput } from './signatures.resolver.js';

@InputType()
export class ComputeFeaturesInput {
  @Field(() => String, { nullable: true }) featureSetId?: string;
  @Field() imageId!: string;
  @Field(() => String, { nullable: true, description: 'The image version; default: the one the mask was drawn on.' }) imageSha256?: string;
  @Field() segmentationId!: string;
  @Field() maskVersionId!: string;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The whole IBSI configuration (schemas/radiomics-settings.schema.json); default: RadLedger MR defaults.' })
  settings?: Record<string, unknown>;
  @Field(() => Int, { nullable: true, description: 'Mask label; default: any nonzero voxel.' }) label?: number;
}

@InputType()
export class ExtractorInput {
  @Field() name!: string;
  @Field() version!: string;
}

@InputType()
export class ImportFeatureSetInput {
  @Field(() => String, { nullable: true }) featureSetId?: string;
  @Field() imageId!: string;
  @Field() imageSha256!: string;
  @Field() segmentationId!: string;
  @Field() maskVersionId!: string;
  @Field(() => ExtractorInput) extractor!: ExtractorInput;
  @Field(() => GraphQLJSONObject) settings!: Record<string, unknown>;
  @Field(() => GraphQLJSONObject, { description: 'Feature values by IBSI code (attested by the uploader, not reproducible).' }) features!: Record<string, number>;
}

@InputType()
export class ProbabilityOutputInput {
  @Field() name!: string;
  @Field(() => Int) column!: number;
}

@InputType()
export class DecisionRuleInput {
  @Field(() => Float) threshold!: number;
  @Field() positiveLabel!: string;
  @Field() negativeLabel!: string;
  @Field(() => ProbabilityOutputInput, { nullable: true }) probabilityOutput?: ProbabilityOutputInput;
}

@InputType()
export class TrainingLineageInput {
  @Field(() => [String]) featureSetIds!: string[];
  @Field(() => [String]) trialIds!: string[];
  @Field(() => [String]) partitions!: string[];
}

@InputType()
export class PerformanceInput {
  @Field() metric!: string;
  @Field(() => Float) value!: number;
  @Field(() => Float, { nullable: true }) ciLower?: number;
  @Field(() => Float, { nullable: true }) ciUpper?: number;
  @Field() dataset!: string;
}

@InputType()
export class RegisterModelInput {
  @Field() modelId!: string;
  @Field() version!: string;
  @Field({ description: 'sha256 of the ONNX file answered by POST /artifacts.' }) artifactSha256!: string;
  @Field() intendedUse!: string;
  @Field(() => [String], { description: 'IBSI feature codes in model input order.' }) featureCodes!: string[];
  @Field(() => DecisionRuleInput) decisionRule!: DecisionRuleInput;
  @Field(() => String, { nullable: true, description: 'Imaging modality the features must come from (e.g. T1c).' }) inputModality?: string;
  @Field(() => TrainingLineageInput) trainingLineage!: TrainingLineageInput;
  @Field(() => [PerformanceInput]) performance!: PerformanceInput[];
}

@InputType()
export class LockModelInput {
  @Field() modelId!: string;
  @Field() version!: string;
  @Field() trialId!: string;
}

@InputType()
export class MakeDecisionInput {
  @Field(() => String, { nullable: true }) decisionId?: string;
  @Field() modelId!: string;
  @Field() modelVersion!: string;
  @Field() featureSetId!: string;
  @Field(() => String, { nullable: true, description: 'The subject meant; refused when the feature set belongs to another.' }) subjectId?: string;
}

@ObjectType('FeatureDifference')
export class FeatureDifferenceModel {
  @Field() key!: string;
  @Field(() => Float, { nullable: true }) recorded!: number | null;
  @Field(() => Float, { nullable: true }) recomputed!: number | null;
}

@ObjectType('Reproduction')
export class ReproductionModel {
  @Field() id!: string;
  @Field({ description: 'MATCH, MISMATCH or NOT_REPRODUCIBLE' }) status!: string;
  @Field(() => String, { nullable: true }) reason?: string;
  @Field(() => [String]) differences!: string[];
}

/**
 * Mutations where RadLedger does the work it records: IBSI features computed from the stored
 * image and mask, ONNX signatures read by onnxruntime, decisions run on the locked bytes only.
 */
@Resolver()
export class ComputeResolver {
  constructor(
    @Inject(CommandSender) private readonly sender: CommandSender,
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(SignerVerification) private readonly signers: SignerVerification,
  ) {}

  @Mutation(() => CommandResultModel, { description: 'Compute IBSI features of a mask version on an image version and record them (reproducible).' })
  computeFeatures(@Args('input') input: ComputeFeaturesInput, @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    const settings = input.settings ?? defaultRadiomicsSettings();
    return this.sender.compute('ComputeFeatures', { imageId: input.imageId, segmentationId: input.segmentationId }, actor, ['data-scientist', 'site-operator'], options, (metadata) =>
      this.runtime.features.compute({ ...plain(input), settings: plain(settings) }, metadata),
    );
  }

  @Mutation(() => CommandResultModel, { description: 'Record a feature set computed elsewhere (attested, not reproducible by RadLedger).' })
  importFeatureSet(@Args('input') input: ImportFeatureSetInput, @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('ComputeFeatures', { ...plain(input), provenance: 'imported' } as never, actor, ['data-scientist', 'site-operator'], options);
  }

  @Mutation(() => CommandResultModel, { description: 'Register an uploaded ONNX model version; its input/output signature is read by onnxruntime.' })
  registerModel(@Args('input') input: RegisterModelInput, @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.compute('RegisterModel', { modelId: input.modelId }, actor, ['data-scientist'], options, (metadata) => this.runtime.models.register(plain(input) as never, metadata));
  }

  @Mutation(() => CommandResultModel, {
    description: "Approve (e-signature, meaning 'approved') and lock a model version for a trial; needs the signer's password or a fresh session.",
  })
  async lockModel(
    @Args('input') input: LockModelInput,
    @Args('credentials', { type: () => SignerCredentialsInput, nullable: true }) credentials: SignerCredentialsInput | null,
    @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null,
    @CurrentActor() actor: Actor,
  ) {
    await this.signers.verify(actor, credentials?.password ?? undefined);
    const registered = (await this.runtime.store.readStream(streamIds.model(input.modelId))).find(
      (e) => e.type === 'ModelRegistered' && (e.data as { version?: string }).version === input.version,
    );
    if (registered) {
      const signatures = await this.runtime.store.readStream(streamIds.signatures(registered.eventId));
      const alreadyApproved = signatures.some((e) => (e.data as { signerId?: string; meaning?: string }).meaning === 'approved' && e.meta.actor === actor.userId);
      if (!alreadyApproved) {
        await this.sender.send('SignRecord', { eventId: registered.eventId, streamId: registered.streamId, meaning: 'approved', printedName: actor.printedName }, actor, ['regulatory', 'qa'], null);
      }
    }
    return this.sender.send('LockModel', plain(input), actor, ['regulatory', 'qa'], options);
  }

  @Mutation(() => CommandResultModel, { description: "Run the trial's locked model version on a recorded feature set and record the decision." })
  makeDecision(@Args('input') input: MakeDecisionInput, @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.compute('MakeDecision', { featureSetId: input.featureSetId }, actor, ['site-operator', 'data-scientist'], options, (metadata) => this.runtime.models.decide(plain(input), metadata));
  }

  @Mutation(() => [CommandResultModel], { description: 'Decisions for many feature sets with the same locked model version (one mutation, one decision each).' })
  async makeDecisions(@Args('inputs', { type: () => [MakeDecisionInput] }) inputs: MakeDecisionInput[], @CurrentActor() actor: Actor) {
    const results: CommandResultModel[] = [];
    for (const input of inputs) {
      results.push(await this.sender.compute('MakeDecision', { featureSetId: input.featureSetId }, actor, ['site-operator', 'data-scientist'], null, (metadata) => this.runtime.models.decide(plain(input), metadata)));
    }
    return results;
  }

  @Query(() => ReproductionModel, { description: 'Re-compute a recorded feature set from its stored inputs and settings.' })
  async reproduceFeatureSet(@Args('featureSetId') featureSetId: string): Promise<ReproductionModel> {
    const r = await this.runtime.features.reproduce(featureSetId);
    return { id: featureSetId, status: r.status, reason: r.reason, differences: r.differences.map((d) => `${d.key}: recorded ${d.recorded}, recomputed ${d.recomputed}`) };
  }

  @Query(() => ReproductionModel, { description: 'Re-run a recorded decision with the model bytes it names.' })
  async reproduceDecision(@Args('decisionId') decisionId: string): Promise<ReproductionModel> {
    const r = await this.runtime.models.reproduceDecision(decisionId);
    return { id: decisionId, status: r.status, reason: r.reason, differences: r.differences };
  }
}
