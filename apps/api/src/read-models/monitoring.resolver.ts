import { Inject, UseInterceptors } from '@nestjs/common';
import { Args, Float, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { MonitoringQuery, ProjectionRunner, type ReadModelStore } from '@radledger/projections';
import { ROLES } from '../auth/actor.js';
import { Roles } from '../auth/auth.decorators.js';
import {
  AuditReviewEntriesModel,
  AuditReviewUserVolumeModel,
  CompletedAuditReviewModel,
  LockedAlgorithmComplianceModel,
  ModelVersionModel,
  ProjectionStatusModel,
  ProtocolDeviationModel,
  SegmentationEditModel,
} from './monitoring.model.js';
import { jsonText, toAuditEntryModel } from './read-model.mappers.js';
import { READ_MODEL_STORE } from './read-models.tokens.js';
import { RevealSealedTextInterceptor } from './reveal-sealed-text.interceptor.js';

/** Trial-monitor and QA views: locked-algorithm compliance, deviations, edits, saved audit-review queries. */
@Resolver()
@Roles(...ROLES)
@UseInterceptors(RevealSealedTextInterceptor)
export class MonitoringResolver {
  private readonly monitoring: MonitoringQuery;

  constructor(
    @Inject(READ_MODEL_STORE) store: ReadModelStore,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
  ) {
    this.monitoring = new MonitoringQuery(store);
  }

  @Query(() => LockedAlgorithmComplianceModel, { description: 'Decisions per model version and site, and every decision not made by the locked version or with a hash other than the locked hash.' })
  lockedAlgorithmCompliance(
    @Args('trialId', { type: () => ID }) trialId: string,
    @Args('siteId', { type: () => ID, nullable: true }) siteId?: string,
  ): Promise<LockedAlgorithmComplianceModel> {
    return this.monitoring.lockedAlgorithmCompliance(trialId, siteId ?? null);
  }

  @Query(() => ModelVersionModel, { description: 'A model version (id = <modelId>@<version>): lock history, validations, PCCP, signatures.' })
  async modelVersion(@Args('id', { type: () => ID }) id: string): Promise<ModelVersionModel> {
    const view = await this.monitoring.modelVersion(id);
    return {
      ...view,
      trainingLineageJson: jsonText(view.trainingLineage),
      performanceJson: jsonText(view.performance),
      validations: view.validations.map(({ results, ...v }) => ({ ...v, resultsJson: jsonText(results) })),
    };
  }

  @Query(() => [ProtocolDeviationModel])
  protocolDeviations(@Args('trialId', { type: () => ID }) trialId: string): Promise<ProtocolDeviationModel[]> {
    return this.monitoring.protocolDeviations(trialId);
  }

  @Query(() => [SegmentationEditModel], { description: 'Mask edits; afterReview: only edits made after the segmentation was accepted at QC.' })
  segmentationEdits(
    @Args('trialId', { type: () => ID }) trialId: string,
    @Args('afterReview', { type: () => Boolean, defaultValue: false }) afterReview: boolean,
  ): Promise<SegmentationEditModel[]> {
    return this.monitoring.segmentationEdits(trialId, afterReview);
  }

  @Query(() => AuditReviewEntriesModel, { description: 'Saved audit review: edits and corrections recorded after the trial\'s first model lock.' })
  async editsAfterLock(@Args('trialId', { type: () => ID }) trialId: string): Promise<AuditReviewEntriesModel> {
    const result = await this.monitoring.editsAfterLock(trialId);
    return { ...result, parametersJson: jsonText(result.parameters), rows: result.rows.map(toAuditEntryModel) };
  }

  @Query(() => AuditReviewEntriesModel, { description: 'Saved audit review: actions recorded outside site hours (UTC) or at weekends.' })
  async actionsOutsideSiteHours(
    @Args('trialId', { type: () => ID }) trialId: string,
    @Args('startHourUtc', { type: () => Int, defaultValue: 7 }) startHourUtc: number,
    @Args('endHourUtc', { type: () => Int, defaultValue: 19 }) endHourUtc: number,
    @Args('includeWeekends', { type: () => Boolean, defaultValue: true }) includeWeekends: boolean,
  ): Promise<AuditReviewEntriesModel> {
    const result = await this.monitoring.actionsOutsideSiteHours(trialId, startHourUtc, endHourUtc, includeWeekends);
    return { ...result, parametersJson: jsonText(result.parameters), rows: result.rows.map(toAuditEntryModel) };
  }

  @Query(() => AuditReviewUserVolumeModel, { description: 'Saved audit review: user-days with unusually many recorded actions.' })
  async unusualVolumePerUser(
    @Args('trialId', { type: () => ID }) trialId: string,
    @Args('factor', { type: () => Float, defaultValue: 3 }) factor: number,
    @Args('minEvents', { type: () => Int, defaultValue: 20 }) minEvents: number,
  ): Promise<AuditReviewUserVolumeModel> {
    const result = await this.monitoring.unusualVolumePerUser(trialId, factor, minEvents);
    return { ...result, parametersJson: jsonText(result.parameters) };
  }

  @Query(() => [CompletedAuditReviewModel], { description: 'Audit reviews recorded as completed (AuditReviewCompleted events) with their signatures.' })
  async completedAuditReviews(@Args('trialId', { type: () => ID }) trialId: string): Promise<CompletedAuditReviewModel[]> {
    const reviews = await this.monitoring.completedAuditReviews(trialId);
    return reviews.map(({ parameters, ...r }) => ({ ...r, parametersJson: parameters === null ? null : jsonText(parameters) }));
  }

  @Query(() => [ProjectionStatusModel], { description: 'Each read model\'s checkpoint and lag behind the ledger head.' })
  projectionStatus(): Promise<ProjectionStatusModel[]> {
    return this.runner.lag();
  }
}
