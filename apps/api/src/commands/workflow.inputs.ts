import { Field, Float, InputType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

// GraphQL inputs of the workflow commands. They carry shapes only: every invariant and
// value check lives in the domain deciders, whose typed errors name the field.

@InputType()
export class NumericRangeInput {
  @Field(() => Float) min!: number;
  @Field(() => Float) max!: number;
}

@InputType()
export class RegisterTrialInput {
  @Field() trialId!: string;
  @Field() title!: string;
  @Field() sponsor!: string;
  @Field(() => String, { nullable: true }) phase?: string;
  @Field(() => Boolean, { nullable: true }) blinded?: boolean;
}

@InputType()
export class EnrollSiteInput {
  @Field() trialId!: string;
  @Field() siteId!: string;
  @Field() name!: string;
}

@InputType()
export class EnrollSubjectInput {
  @Field() trialId!: string;
  @Field() siteId!: string;
  @Field({ description: 'Trial pseudonym; never a name, birth date or record number (PHI_REJECTED).' }) subjectId!: string;
}

@InputType()
export class ContrastProtocolInput {
  @Field(() => String, { nullable: true }) agent?: string;
  @Field(() => NumericRangeInput) injectionRateMlPerS!: NumericRangeInput;
  @Field(() => NumericRangeInput) delayS!: NumericRangeInput;
}

@InputType()
export class DefineImagingProtocolInput {
  @Field() trialId!: string;
  @Field() protocolId!: string;
  @Field() modality!: string;
  @Field(() => Float, { nullable: true }) fieldStrengthT?: number;
  @Field(() => NumericRangeInput, { nullable: true }) trMs?: NumericRangeInput;
  @Field(() => NumericRangeInput, { nullable: true }) teMs?: NumericRangeInput;
  @Field(() => ContrastProtocolInput, { nullable: true }) contrast?: ContrastProtocolInput;
}

@InputType()
export class ScannerInput {
  @Field() vendor!: string;
  @Field() model!: string;
}

@InputType()
export class ContrastInput {
  @Field() agent!: string;
  @Field(() => Float) injectionRateMlPerS!: number;
  @Field(() => Float) delayS!: number;
}

@InputType()
export class AcquireImageInput {
  @Field(() => String, { nullable: true }) imageId?: string;
  @Field() trialId!: string;
  @Field() siteId!: string;
  @Field() subjectId!: string;
  @Field() modality!: string;
  @Field(() => ScannerInput) scanner!: ScannerInput;
  @Field(() => Float) fieldStrengthT!: number;
  @Field(() => Float) trMs!: number;
  @Field(() => Float) teMs!: number;
  @Field(() => Float) sliceThicknessMm!: number;
  @Field(() => ContrastInput, { nullable: true }) contrast?: ContrastInput;
  @Field({ description: 'sha256 answered by POST /artifacts.' }) artifactSha256!: string;
  @Field(() => String, { nullable: true }) studyUidHash?: string;
  @Field(() => String, { nullable: true }) seriesUidHash?: string;
}

@InputType()
export class ApplyPreprocessingInput {
  @Field() imageId!: string;
  @Field(() => String, { nullable: true }) stepId?: string;
  @Field() tool!: string;
  @Field() toolVersion!: string;
  @Field(() => GraphQLJSONObject) parameters!: Record<string, unknown>;
  @Field() inputSha256!: string;
  @Field() outputSha256!: string;
}

@InputType()
export class CreateSegmentationInput {
  @Field(() => String, { nullable: true }) segmentationId?: string;
  @Field(() => String, { nullable: true }) versionId?: string;
  @Field() imageId!: string;
  @Field() imageSha256!: string;
  @Field() method!: string;
  @Field() tool!: string;
  @Field() toolVersion!: string;
  @Field() region!: string;
  @Field() maskSha256!: string;
}

@InputType()
export class EditSegmentationInput {
  @Field() segmentationId!: string;
  @Field() parentVersionId!: string;
  @Field(() => String, { nullable: true }) versionId?: string;
  @Field() maskSha256!: string;
  @Field({ description: 'Why the mask was edited (required).' }) reason!: string;
  @Field(() => String, { nullable: true }) tool?: string;
  @Field(() => String, { nullable: true }) toolVersion?: string;
}

@InputType()
export class ReviewSegmentationInput {
  @Field() segmentationId!: string;
  @Field() versionId!: string;
  @Field() verdict!: string;
  @Field(() => String, { nullable: true }) comment?: string;
}

@InputType()
export class AssignFeatureSetPartitionInput {
  @Field() featureSetId!: string;
  @Field() partition!: string;
  @Field(() => String, { nullable: true }) reason?: string;
}

@InputType()
export class RecordChangeControlPlanInput {
  @Field() modelId!: string;
  @Field(() => String, { nullable: true }) planId?: string;
  @Field() whatMayChange!: string;
  @Field() validationProtocol!: string;
  @Field() acceptanceCriteria!: string;
}

@InputType()
export class RecordModelValidationInput {
  @Field() modelId!: string;
  @Field() version!: string;
  @Field() planId!: string;
  @Field(() => String, { nullable: true }) validationId?: string;
  @Field(() => GraphQLJSONObject) results!: Record<string, number>;
  @Field() passed!: boolean;
  @Field() summary!: string;
}

@InputType()
export class RetireModelInput {
  @Field() modelId!: string;
  @Field() version!: string;
  @Field() reason!: string;
}

@InputType()
export class OverrideDecisionInput {
  @Field() decisionId!: string;
  @Field() decision!: string;
  @Field() reason!: string;
}
