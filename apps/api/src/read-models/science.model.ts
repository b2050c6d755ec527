import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('ImageQualityFailure')
export class ImageQualityFailureModel {
  @Field(() => String, { description: 'SNR | CNR | GHOSTING | METADATA | BACKGROUND' }) check!: string;
  @Field(() => String) detail!: string;
}

@ObjectType('ImageQuality', { description: 'The latest QC of one image (ImageQualityAssessed).' })
export class ImageQualityModel {
  @Field(() => String) imageId!: string;
  @Field(() => String) trialId!: string;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String) imageSha256!: string;
  @Field(() => Float, { nullable: true }) snr!: number | null;
  @Field(() => Float, { nullable: true }) cnr!: number | null;
  @Field(() => Float, { nullable: true, description: 'N/2 ghost-to-signal ratio of the worst in-plane axis.' }) ghostToSignalRatio!: number | null;
  @Field(() => String, { nullable: true }) ghostAxis!: string | null;
  @Field(() => Float, { nullable: true }) metadataCompleteness!: number | null;
  @Field(() => [String]) missingMetadata!: string[];
  @Field(() => [ImageQualityFailureModel]) failures!: ImageQualityFailureModel[];
  @Field(() => Boolean) passed!: boolean;
  @Field(() => Boolean) excludedFromFeatures!: boolean;
  @Field(() => String, { nullable: true }) assessedBy!: string | null;
  @Field(() => String, { nullable: true }) recordedAt!: string | null;
  @Field(() => String) eventId!: string;
}

@ObjectType('FeatureIcc')
export class FeatureIccModel {
  @Field(() => String) featureCode!: string;
  @Field(() => Int) subjects!: number;
  @Field(() => Float, { nullable: true }) icc21!: number | null;
  @Field(() => Float, { nullable: true }) icc21Lower!: number | null;
  @Field(() => Float, { nullable: true }) icc21Upper!: number | null;
  @Field(() => Float, { nullable: true }) icc31!: number | null;
  @Field(() => Float, { nullable: true }) icc31Lower!: number | null;
  @Field(() => Float, { nullable: true }) icc31Upper!: number | null;
  @Field(() => Boolean) meetsThreshold!: boolean;
}

@ObjectType('ReliabilityExclusion')
export class ReliabilityExclusionModel {
  @Field(() => String) subjectId!: string;
  @Field(() => String) imageId!: string;
  @Field(() => String) reason!: string;
}

@ObjectType('FeatureReliability', { description: "The trial's latest reliability study (FeatureReliabilityRecorded), judged against the threshold asked for." })
export class FeatureReliabilityModel {
  @Field(() => String) trialId!: string;
  @Field(() => String, { nullable: true }) studyId!: string | null;
  @Field(() => String, { nullable: true, description: 'The ICC that decides: ICC(2,1) or ICC(3,1).' }) model!: string | null;
  @Field(() => [String]) raters!: string[];
  @Field(() => Int) subjects!: number;
  @Field(() => [ReliabilityExclusionModel]) excludedSubjects!: ReliabilityExclusionModel[];
  @Field(() => Float) threshold!: number;
  @Field(() => [String]) featureSetIds!: string[];
  @Field(() => String, { nullable: true }) recordedBy!: string | null;
  @Field(() => String, { nullable: true }) recordedAt!: string | null;
  @Field(() => [FeatureIccModel]) features!: FeatureIccModel[];
  @Field(() => [String]) reliable!: string[];
  @Field(() => [String]) unreliable!: string[];
}

@ObjectType('ResponseBaseline')
export class ResponseBaselineModel {
  @Field(() => String) timepointId!: string;
  @Field(() => String) kind!: string;
  @Field(() => Int, { nullable: true }) radiotherapyEndStudyDay!: number | null;
  @Field(() => String) component!: string;
  @Field(() => String) method!: string;
  @Field(() => String, { description: 'The criteria parameters (version, target cap, confirmation days, policy) as JSON.' }) criteriaJson!: string;
}

@ObjectType('ResponseTimepoint')
export class ResponseTimepointModel {
  @Field(() => String) timepointId!: string;
  @Field(() => Int) studyDay!: number;
  @Field(() => [String]) imageIds!: string[];
}

@ObjectType('MeasurementUse', { description: 'A measurement the derivation used.' })
export class MeasurementUseModel {
  @Field(() => String) lesionId!: string;
  @Field(() => String) role!: string;
  @Field(() => Float) longestDiameterMm!: number;
  @Field(() => Float) perpendicularDiameterMm!: number;
  @Field(() => Float) product!: number;
  @Field(() => Float, { nullable: true }) volumeMm3!: number | null;
  @Field(() => Boolean) measurable!: boolean;
  @Field(() => String) imageId!: string;
  @Field(() => String, { nullable: true }) segmentationId!: string | null;
  @Field(() => String, { nullable: true }) maskVersionId!: string | null;
}

@ObjectType('DerivationStep', { description: 'One rule the derivation applied, with the clause of RANO 2.0 / 2010 / mRANO it implements.' })
export class DerivationStepModel {
  @Field(() => String) rule!: string;
  @Field(() => String) clause!: string;
  @Field(() => String) detail!: string;
}

@ObjectType('TimepointResponse')
export class TimepointResponseModel {
  @Field(() => String) timepointId!: string;
  @Field(() => Int) studyDay!: number;
  @Field(() => String) readerId!: string;
  @Field(() => String, { description: 'baseline | CR | PR | MR | SD | PD | NE' }) category!: string;
  @Field(() => String, { description: 'not-applicable | pending | confirmed | not-confirmed | not-required' }) confirmation!: string;
  @Field(() => String, { nullable: true }) confirmedAs!: string | null;
  @Field(() => Float, { nullable: true }) targetSum!: number | null;
  @Field(() => Float, { nullable: true }) baselineSum!: number | null;
  @Field(() => Float, { nullable: true }) nadirSum!: number | null;
  @Field(() => Float, { nullable: true }) changeFromBaseline!: number | null;
  @Field(() => Float, { nullable: true }) changeFromNadir!: number | null;
  @Field(() => [MeasurementUseModel]) measurements!: MeasurementUseModel[];
  @Field(() => String, { description: 'Non-target calls and new lesions as JSON.' }) lesionsJson!: string;
  @Field(() => [DerivationStepModel]) steps!: DerivationStepModel[];
  @Field(() => String, { description: 'Earlier preliminary categories this timepoint confirmed or refuted, as JSON.' }) resolvesJson!: string;
  @Field(() => Int, { nullable: true }) progressionStudyDay!: number | null;
}

@ObjectType('ReaderResponse')
export class ReaderResponseModel {
  @Field(() => String) readerId!: string;
  @Field(() => String) bestOverallResponse!: string;
  @Field(() => Int, { nullable: true }) progressionStudyDay!: number | null;
  @Field(() => [TimepointResponseModel]) timepoints!: TimepointResponseModel[];
}

@ObjectType('RecordedResponseAssessment', { description: 'A TimepointResponseAssessed event: what was derivable when the timepoint was read.' })
export class RecordedResponseAssessmentModel {
  @Field(() => String) timepointId!: string;
  @Field(() => String) readerId!: string;
  @Field(() => String) category!: string;
  @Field(() => String) confirmation!: string;
  @Field(() => Float, { nullable: true }) targetSum!: number | null;
  @Field(() => [String]) rules!: string[];
  @Field(() => String) resolvesJson!: string;
  @Field(() => Int, { nullable: true }) progressionStudyDay!: number | null;
  @Field(() => String, { nullable: true }) assessedBy!: string | null;
  @Field(() => String, { nullable: true }) recordedAt!: string | null;
  @Field(() => String) eventId!: string;
}

@ObjectType('AssessmentMaskInput')
export class AssessmentMaskModel {
  @Field(() => String) segmentationId!: string;
  @Field(() => String) maskVersionId!: string;
  @Field(() => String) readerId!: string;
  @Field(() => String) lesionId!: string;
}

@ObjectType('AssessmentLineage', { description: "What a timepoint's assessment rests on: its images and the mask versions measured on." })
export class AssessmentLineageModel {
  @Field(() => String) timepointId!: string;
  @Field(() => [String]) imageIds!: string[];
  @Field(() => [AssessmentMaskModel]) masks!: AssessmentMaskModel[];
}

@ObjectType('ResponseAssessment')
export class ResponseAssessmentModel {
  @Field(() => String) trialId!: string;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String) subjectId!: string;
  @Field(() => ResponseBaselineModel, { nullable: true }) baseline!: ResponseBaselineModel | null;
  @Field(() => [ResponseTimepointModel]) timepoints!: ResponseTimepointModel[];
  @Field(() => [ReaderResponseModel]) readers!: ReaderResponseModel[];
  @Field(() => [RecordedResponseAssessmentModel]) recorded!: RecordedResponseAssessmentModel[];
  @Field(() => [AssessmentLineageModel]) lineage!: AssessmentLineageModel[];
}
