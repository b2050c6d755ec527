import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/auth.decorators.js';
import { CommandOptionsInput, CommandResultModel } from './command-io.model.js';
import { CommandSender } from './command-sender.js';
import {
  AcquireImageInput,
  ApplyPreprocessingInput,
  AssignFeatureSetPartitionInput,
  CreateSegmentationInput,
  DefineImagingProtocolInput,
  EditSegmentationInput,
  EnrollSiteInput,
  EnrollSubjectInput,
  OverrideDecisionInput,
  RecordChangeControlPlanInput,
  RecordModelValidationInput,
  RegisterTrialInput,
  RetireModelInput,
  ReviewSegmentationInput,
} from './workflow.inputs.js';

const options = () => ({ type: () => CommandOptionsInput, nullable: true });

/**
 * Mutations that map one-to-one onto a domain command. Who may send each is listed here;
 * the command handler narrows it to the actor's trials and sites.
 */
@Resolver()
export class WorkflowResolver {
  constructor(@Inject(CommandSender) private readonly sender: CommandSender) {}

  @Mutation(() => CommandResultModel, { description: 'Register a clinical trial (admin).' })
  registerTrial(@Args('input') input: RegisterTrialInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('RegisterTrial', input, actor, ['admin'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Enrol a site in a trial (admin).' })
  enrollSite(@Args('input') input: EnrollSiteInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('EnrollSite', input, actor, ['admin'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Enrol a subject (pseudonym only) at a site.' })
  enrollSubject(@Args('input') input: EnrollSubjectInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('EnrollSubject', input, actor, ['site-operator', 'admin'], opts);
  }

  @Mutation(() => CommandResultModel, { description: "Define the trial's imaging protocol for one modality." })
  defineImagingProtocol(@Args('input') input: DefineImagingProtocolInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('DefineImagingProtocol', input as never, actor, ['admin', 'data-scientist'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Record an acquisition; checked against the imaging protocol (deviations are recorded, not refused).' })
  acquireImage(@Args('input') input: AcquireImageInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('AcquireImage', input as never, actor, ['site-operator'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Record a preprocessing step (tool, version, parameters, input and output artifacts).' })
  applyPreprocessing(@Args('input') input: ApplyPreprocessingInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('ApplyPreprocessing', input, actor, ['site-operator', 'data-scientist'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Record a segmentation (first mask version) of an image.' })
  createSegmentation(@Args('input') input: CreateSegmentationInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('CreateSegmentation', input as never, actor, ['site-operator', 'data-scientist'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Record an edited mask version; Dice and volume change against the parent are computed by RadLedger.' })
  editSegmentation(@Args('input') input: EditSegmentationInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('EditSegmentation', input, actor, ['site-operator', 'data-scientist'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Record the QC verdict on a mask version.' })
  reviewSegmentation(@Args('input') input: ReviewSegmentationInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('ReviewSegmentation', input as never, actor, ['qa', 'data-scientist'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Assign a feature set to the train, tune or test partition.' })
  assignFeatureSetPartition(@Args('input') input: AssignFeatureSetPartitionInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('AssignFeatureSetPartition', input as never, actor, ['data-scientist'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Record a predetermined change control plan (PCCP) for a model.' })
  recordChangeControlPlan(@Args('input') input: RecordChangeControlPlanInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('RecordChangeControlPlan', input, actor, ['data-scientist', 'regulatory'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Record the validation of a model version under a PCCP.' })
  recordModelValidation(@Args('input') input: RecordModelValidationInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('RecordModelValidation', input, actor, ['data-scientist', 'qa'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Retire a model version: no further decisions may use it.' })
  retireModel(@Args('input') input: RetireModelInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('RetireModel', input, actor, ['regulatory', 'qa'], opts);
  }

  @Mutation(() => CommandResultModel, { description: 'Override a model decision, with a reason.' })
  overrideDecision(@Args('input') input: OverrideDecisionInput, @Args('options', options()) opts: CommandOptionsInput | null, @CurrentActor() actor: Actor) {
    return this.sender.send('OverrideDecision', input, actor, ['site-operator', 'data-scientist'], opts);
  }
}
