import { Inject, UseInterceptors } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, AuditTrailQuery, type ReadModelStore } from '@radledger/projections';
import { ROLES } from '../auth/actor.js';
import { Roles } from '../auth/auth.decorators.js';
import { AuditTrailConnectionModel, AuditTrailFilterInput } from './audit-trail.model.js';
import { toAuditEntryModel } from './read-model.mappers.js';
import { READ_MODEL_STORE } from './read-models.tokens.js';
import { RevealSealedTextInterceptor } from './reveal-sealed-text.interceptor.js';

@Resolver()
@Roles(...ROLES)
@UseInterceptors(RevealSealedTextInterceptor)
export class AuditTrailResolver {
  private readonly auditQuery: AuditTrailQuery;

  constructor(@Inject(READ_MODEL_STORE) store: ReadModelStore) {
    this.auditQuery = new AuditTrailQuery(store);
  }

  @Query(() => AuditTrailConnectionModel, { description: 'The audit trail in ledger order, Relay cursor paging (first/after).' })
  async auditTrail(
    @Args('filter', { type: () => AuditTrailFilterInput, nullable: true }) filter?: AuditTrailFilterInput,
    @Args('first', { type: () => Int, defaultValue: AUDIT_PAGE_DEFAULT, description: `0 to ${AUDIT_PAGE_MAX}` }) first = AUDIT_PAGE_DEFAULT,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AuditTrailConnectionModel> {
    const page = await this.auditQuery.page(
      {
        trialId: filter?.trialId ?? undefined,
        siteId: filter?.siteId ?? undefined,
        subjectId: filter?.subjectId ?? undefined,
        actor: filter?.actor ?? undefined,
        types: filter?.types ?? undefined,
        from: filter?.from ?? undefined,
        to: filter?.to ?? undefined,
      },
      first,
      after ?? null,
    );
    return { pageInfo: page.pageInfo, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toAuditEntryModel(edge.node) })) };
  }
}
