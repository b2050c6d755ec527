import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { AuditEntryModel } from './audit-trail.model.js';
import { LedgerEventRefModel, SignatureModel } from './lineage.model.js';

@ObjectType('CurrentModelLock')
export class CurrentLockModel {
  @Field(() => String) modelId!: string;
  @Field(() => String) version!: string;
  @Field(() => String, { nullable: true }) artifactSha256!: string | null;
  @Field(() => Int) lockedAtPosition!: number;
}

@ObjectType('ComplianceCount')
export class ComplianceCountModel {
  @Field(() => String, { nullable: true }) modelId!: string | null;
  @Field(() => String, { nullable: true }) modelVersion!: string | null;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => Int) decisions!: number;
  @Field(() => Int) compliant!: number;
  @Field(() => Int) deviations!: number;
}

@ObjectType('DecisionDeviation', { description: 'A decision not made by the locked version, or whose recorded hash is not the locked hash.' })
export class DecisionDeviationModel {
  @Field(() => String) decisionId!: string;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => String, { nullable: true }) modelId!: string | null;
  @Field(() => String, { nullable: true }) modelVersion!: string | null;
  @Field(() => String, { nullable: true }) modelSha256!: string | null;
  @Field(() => String, { nullable: true }) lockedVersion!: string | null;
  @Field(() => String, { nullable: true }) lockedSha256!: string | null;
  @Field(() => [String], { description: 'NO_LOCKED_VERSION | NOT_LOCKED_VERSION | HASH_MISMATCH' }) reasons!: string[];
  @Field(() => String, { nullable: true }) recordedAt!: string | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
}

@ObjectType('LockedAlgorithmCompliance')
export class LockedAlgorithmComplianceModel {
  @Field(() => String) trialId!: string;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => [CurrentLockModel]) currentLocks!: CurrentLockModel[];
  @Field(() => Int) totalDecisions!: number;
  @Field(() => Int) compliantDecisions!: number;
  @Field(() => [ComplianceCountModel]) counts!: ComplianceCountModel[];
  @Field(() => [DecisionDeviationModel]) deviations!: DecisionDeviationModel[];
  @Field(() => Boolean) deviationsTruncated!: boolean;
}

@ObjectType('ModelLockRecord')
export class ModelLockModel {
  @Field(() => String) trialId!: string;
  @Field(() => String, { nullable: true }) version!: string | null;
  @Field(() => String, { nullable: true }) artifactSha256!: string | null;
  @Field(() => String, { nullable: true }) validationId!: string | null;
  @Field(() => String, { nullable: true }) supersedesVersion!: string | null;
  @Field(() => [String]) approvalSignatureIds!: string[];
  @Field(() => String, { nullable: true }) lockedBy!: string | null;
  @Field(() => String, { nullable: true }) lockedAt!: string | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
  @Field(() => Boolean) current!: boolean;
}

@ObjectType('ModelValidationRecord')
export class ModelValidationModel {
  @Field(() => String) validationId!: string;
  @Field(() => String, { nullable: true }) planId!: string | null;
  @Field(() => String, { nullable: true }) validatedSha256!: string | null;
  @Field(() => Boolean, { nullable: true }) passed!: boolean | null;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => String) resultsJson!: string;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
}

@ObjectType('ChangeControlPlanRecord', { description: 'Predetermined change control plan (PCCP).' })
export class ChangeControlPlanModel {
  @Field(() => String) planId!: string;
  @Field(() => String, { nullable: true }) whatMayChange!: string | null;
  @Field(() => String, { nullable: true }) validationProtocol!: string | null;
  @Field(() => String, { nullable: true }) acceptanceCriteria!: string | null;
  @Field(() => String, { nullable: true }) recordedBy!: string | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
}

@ObjectType('ModelVersionView')
export class ModelVersionModel {
  @Field(() => String) id!: string;
  @Field(() => String) modelId!: string;
  @Field(() => String) version!: string;
  @Field(() => String, { nullable: true }) artifactSha256!: string | null;
  @Field(() => String, { nullable: true }) intendedUse!: string | null;
  @Field(() => [String]) featureCodes!: string[];
  @Field(() => String) trainingLineageJson!: string;
  @Field(() => String) performanceJson!: string;
  @Field(() => String, { nullable: true }) registeredBy!: string | null;
  @Field(() => String, { nullable: true }) retiredAt!: string | null;
  @Field(() => String, { nullable: true }) retiredReason!: string | null;
  @Field(() => LedgerEventRefModel) registered!: LedgerEventRefModel;
  @Field(() => [ModelLockModel]) locks!: ModelLockModel[];
  @Field(() => [ModelValidationModel]) validations!: ModelValidationModel[];
  @Field(() => [ChangeControlPlanModel]) changeControlPlans!: ChangeControlPlanModel[];
  @Field(() => [SignatureModel]) signatures!: SignatureModel[];
}

@ObjectType('ProtocolDeviationItem')
export class ProtocolDeviationItemModel {
  @Field(() => String) field!: string;
  @Field(() => String) expected!: string;
  @Field(() => String) actual!: string;
}

@ObjectType('ProtocolDeviationView')
export class ProtocolDeviationModel {
  @Field(() => String, { nullable: true }) imageId!: string | null;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => String, { nullable: true }) protocolId!: string | null;
  @Field(() => [ProtocolDeviationItemModel]) deviations!: ProtocolDeviationItemModel[];
  @Field(() => String, { nullable: true }) detectedBy!: string | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
}

@ObjectType('TrialSite')
export class TrialSiteModel {
  @Field(() => String) siteId!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Boolean, { description: 'Closed sites enrol no more subjects.' }) enrolmentClosed!: boolean;
  @Field(() => String, { nullable: true }) closedReason!: string | null;
  @Field(() => String, { nullable: true, description: 'UTC time of the closure (ISO 8601).' }) closedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'The SiteEnrolmentClosed event.' }) closedEventId!: string | null;
}

@ObjectType('AcceptedReviewRef')
export class AcceptedReviewModel {
  @Field(() => String, { nullable: true }) reviewer!: string | null;
  @Field(() => String, { nullable: true }) versionId!: string | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
}

@ObjectType('SegmentationEditView')
export class SegmentationEditModel {
  @Field(() => String, { nullable: true }) segmentationId!: string | null;
  @Field(() => String) versionId!: string;
  @Field(() => String, { nullable: true }) parentVersionId!: string | null;
  @Field(() => String, { nullable: true }) trialId!: string | null;
  @Field(() => String, { nullable: true }) siteId!: string | null;
  @Field(() => String, { nullable: true }) subjectId!: string | null;
  @Field(() => String, { nullable: true }) imageId!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
  @Field(() => String, { nullable: true }) maskSha256!: string | null;
  @Field(() => String, { nullable: true }) parentMaskSha256!: string | null;
  @Field(() => Float, { nullable: true }) diceVsParent!: number | null;
  @Field(() => Float, { nullable: true }) volumeMm3!: number | null;
  @Field(() => Float, { nullable: true }) volumeChangeMm3!: number | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) editedBy!: string | null;
  @Field(() => String, { nullable: true }) editedByName!: string | null;
  @Field(() => AcceptedReviewModel, { nullable: true }) acceptedReview!: AcceptedReviewModel | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
}

@ObjectType('AuditReviewEntries', { description: 'A saved audit-review query over audit entries; resultSha256 binds a completed review to exactly this result.' })
export class AuditReviewEntriesModel {
  @Field(() => String) query!: string;
  @Field(() => String) trialId!: string;
  @Field(() => String) parametersJson!: string;
  @Field(() => String) resultSha256!: string;
  @Field(() => Boolean, { description: 'More rows matched than were listed.' }) truncated!: boolean;
  @Field(() => [AuditEntryModel]) rows!: AuditEntryModel[];
}

@ObjectType('UserVolumeRow')
export class UserVolumeRowModel {
  @Field(() => String) actor!: string;
  @Field(() => String, { nullable: true }) actorName!: string | null;
  @Field(() => String) day!: string;
  @Field(() => Int) events!: number;
  @Field(() => Float) medianPerUserDay!: number;
}

@ObjectType('AuditReviewUserVolume')
export class AuditReviewUserVolumeModel {
  @Field(() => String) query!: string;
  @Field(() => String) trialId!: string;
  @Field(() => String) parametersJson!: string;
  @Field(() => String) resultSha256!: string;
  @Field(() => Boolean) truncated!: boolean;
  @Field(() => [UserVolumeRowModel]) rows!: UserVolumeRowModel[];
}

@ObjectType('CompletedAuditReview')
export class CompletedAuditReviewModel {
  @Field(() => String) reviewId!: string;
  @Field(() => String, { nullable: true }) queryName!: string | null;
  @Field(() => String, { nullable: true }) parametersJson!: string | null;
  @Field(() => String, { nullable: true }) resultSha256!: string | null;
  @Field(() => String, { nullable: true }) conclusion!: string | null;
  @Field(() => String, { nullable: true }) reviewer!: string | null;
  @Field(() => LedgerEventRefModel) event!: LedgerEventRefModel;
  @Field(() => [SignatureModel]) signatures!: SignatureModel[];
}

@ObjectType('ProjectionStatus')
export class ProjectionStatusModel {
  @Field(() => String) projection!: string;
  @Field(() => Int) version!: number;
  @Field(() => Int) lastPosition!: number;
  @Field(() => Int, { description: 'Ledger size minus applied events (0 when caught up).' }) lag!: number;
}
