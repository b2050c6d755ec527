import { Inject } from '@nestjs/common';
import { Args, Field, ID, InputType, Mutation, Resolver } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { CommandService, SAVED_AUDIT_QUERIES, type CompleteAuditReview, type SavedAuditQuery } from '@radledger/domain';
import { IllegalStateError, ValidationError } from '@radledger/platform';
import { MonitoringQuery, type AuditReviewResult, type ReadModelStore } from '@radledger/projections';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/auth.decorators.js';
import { CommandOptionsInput, CommandResultModel } from '../commands/command-io.model.js';
import { CommandSender } from '../commands/command-sender.js';
import { READ_MODEL_STORE } from './read-models.tokens.js';

@InputType()
export class CompleteAuditReviewInput {
  @Field(() => ID, { nullable: true, description: 'Default: generated (deterministic when options.commandId is given).' }) reviewId?: string;
  @Field(() => ID) trialId!: string;
  @Field({ description: `The saved query reviewed: ${SAVED_AUDIT_QUERIES.join(', ')}.` }) queryName!: string;
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'The arguments the query was run with, as named by the query (actionsOutsideSiteHours: startHourUtc, endHourUtc, includeWeekends; unusualVolumePerUser: factor, minEvents); omitted ones take the query defaults.',
  })
  arguments?: Record<string, unknown>;
  @Field({ description: 'The resultSha256 of the result that was reviewed; refused when the query now returns something else.' }) resultSha256!: string;
  @Field({ description: 'What the review concluded (recorded in the audit trail; sign it with signRecord).' }) conclusion!: string;
}

const QUERY_ARGUMENTS: Record<SavedAuditQuery, readonly string[]> = {
  editsAfterLock: [],
  actionsOutsideSiteHours: ['startHourUtc', 'endHourUtc', 'includeWeekends'],
  unusualVolumePerUser: ['factor', 'minEvents'],
};

/**
 * Completing a saved audit review (issue 4 §4): the query is re-run at completion time and the
 * review is recorded only if its result hash equals the one the reviewer saw, so the recorded
 * `AuditReviewCompleted` (and any signature on it, 21 CFR 11.70) binds exactly what was reviewed.
 */
@Resolver()
export class AuditReviewResolver {
  private readonly monitoring: MonitoringQuery;

  constructor(
    @Inject(READ_MODEL_STORE) store: ReadModelStore,
    @Inject(CommandSender) private readonly sender: CommandSender,
    @Inject(CommandService) private readonly commands: CommandService,
  ) {
    this.monitoring = new MonitoringQuery(store);
  }

  @Mutation(() => CommandResultModel, { description: 'Record that the result of a saved audit-review query was reviewed (qa, regulatory); sign the recorded event with signRecord.' })
  completeAuditReview(
    @Args('input') input: CompleteAuditReviewInput,
    @Args('options', { type: () => CommandOptionsInput, nullable: true }) options: CommandOptionsInput | null,
    @CurrentActor() actor: Actor,
  ): Promise<CommandResultModel> {
    // Authorised first (role and trial scope), then the query is re-run and the review recorded.
    return this.sender.compute('CompleteAuditReview', { trialId: input.trialId }, actor, ['qa', 'regulatory'], options, async (metadata) => {
      const result = await this.runSavedQuery(input.trialId, input.queryName, input.arguments ?? {});
      if (result.resultSha256 !== input.resultSha256) {
        throw new IllegalStateError(
          'AUDIT_REVIEW_RESULT_CHANGED',
          `resultSha256: ${input.queryName} now returns a result with hash ${result.resultSha256}, not the reviewed ${input.resultSha256}; re-run the query and review again`,
          { field: 'resultSha256', expected: input.resultSha256, computed: result.resultSha256 },
        );
      }
      const data: CompleteAuditReview['data'] = {
        ...(input.reviewId ? { reviewId: input.reviewId } : {}),
        trialId: input.trialId,
        queryName: input.queryName as SavedAuditQuery,
        parameters: result.parameters,
        resultSha256: result.resultSha256,
        conclusion: input.conclusion,
      };
      return this.commands.execute({ type: 'CompleteAuditReview', data }, metadata);
    });
  }

  private runSavedQuery(trialId: string, queryName: string, args: Record<string, unknown>): Promise<AuditReviewResult<unknown>> {
    if (!(SAVED_AUDIT_QUERIES as readonly string[]).includes(queryName)) {
      throw new ValidationError('INVALID_ENUM', `queryName: expected one of ${SAVED_AUDIT_QUERIES.join(', ')}, got ${JSON.stringify(queryName)}`, { field: 'queryName' });
    }
    const name = queryName as SavedAuditQuery;
    for (const key of Object.keys(args)) {
      if (!QUERY_ARGUMENTS[name].includes(key)) {
        throw new ValidationError('INPUT_INVALID', `arguments.${key}: ${name} takes ${QUERY_ARGUMENTS[name].join(', ') || 'no arguments'}`, { field: `arguments.${key}` });
      }
    }
    const num = (key: string, fallback: number): number => {
      const v = args[key];
      if (v === undefined || v === null) return fallback;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValidationError('INPUT_INVALID', `arguments.${key}: expected a number, got ${JSON.stringify(v)}`, { field: `arguments.${key}` });
      return v;
    };
    switch (name) {
      case 'editsAfterLock':
        return this.monitoring.editsAfterLock(trialId);
      case 'actionsOutsideSiteHours': {
        const weekends = args['includeWeekends'];
        if (weekends !== undefined && weekends !== null && typeof weekends !== 'boolean') {
          throw new ValidationError('INPUT_INVALID', `arguments.includeWeekends: expected true or false, got ${JSON.stringify(weekends)}`, { field: 'arguments.includeWeekends' });
        }
        return this.monitoring.actionsOutsideSiteHours(trialId, num('startHourUtc', 7), num('endHourUtc', 19), weekends ?? true);
      }
      case 'unusualVolumePerUser':
        return this.monitoring.unusualVolumePerUser(trialId, num('factor', 3), num('minEvents', 20));
    }
  }
}
