import { Inject, UseInterceptors } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import {
  DecisionQuery,
  LINEAGE_MAX_DEPTH,
  LineageQuery,
  toProvJson,
  toProvOJsonLd,
  provId,
  type ReadModelStore,
} from '@radledger/projections';
import { ROLES } from '../auth/actor.js';
import { Roles } from '../auth/auth.decorators.js';
import { AsOfInput, DecisionModel, LineageDirectionEnum, LineageGraphModel, ProvDocumentModel, ProvFormatEnum } from './lineage.model.js';
import { toDecisionModel, toGraphModel } from './read-model.mappers.js';
import { READ_MODEL_STORE } from './read-models.tokens.js';
import { RevealSealedTextInterceptor } from './reveal-sealed-text.interceptor.js';

/** Lineage in W3C PROV terms: walks, the decision view, and PROV exports. */
@Resolver()
@Roles(...ROLES)
@UseInterceptors(RevealSealedTextInterceptor)
export class LineageResolver {
  private readonly lineageQuery: LineageQuery;
  private readonly decisionQuery: DecisionQuery;

  constructor(@Inject(READ_MODEL_STORE) store: ReadModelStore) {
    this.lineageQuery = new LineageQuery(store);
    this.decisionQuery = new DecisionQuery(store);
  }

  @Query(() => LineageGraphModel, { description: 'Upstream/downstream lineage of an entity, activity or agent (lineage id like decision:D-1, or the domain id).' })
  async lineage(
    @Args('id', { type: () => ID }) id: string,
    @Args('direction', { type: () => LineageDirectionEnum, defaultValue: LineageDirectionEnum.UPSTREAM }) direction: LineageDirectionEnum,
    @Args('maxDepth', { type: () => Int, defaultValue: 10, description: `0 to ${LINEAGE_MAX_DEPTH}` }) maxDepth: number,
    @Args('asOf', { type: () => AsOfInput, nullable: true }) asOf?: AsOfInput,
  ): Promise<LineageGraphModel> {
    const graph = await this.lineageQuery.lineage({
      id,
      direction,
      maxDepth,
      asOfPosition: asOf?.position ?? undefined,
      asOfTime: asOf?.time ?? undefined,
    });
    return toGraphModel(graph);
  }

  @Query(() => DecisionModel, { description: 'A decision with its model version (locked? hash equal?), feature set, masks, images, preprocessing, sites, people and signatures.' })
  async decision(@Args('id', { type: () => ID }) id: string): Promise<DecisionModel> {
    return toDecisionModel(await this.decisionQuery.decision(id));
  }

  @Query(() => ProvDocumentModel, { description: 'The upstream lineage of an id as a W3C PROV document.' })
  async provDocument(
    @Args('id', { type: () => ID }) id: string,
    @Args('format', { type: () => ProvFormatEnum, defaultValue: ProvFormatEnum.PROV_O_JSONLD }) format: ProvFormatEnum,
    @Args('maxDepth', { type: () => Int, defaultValue: LINEAGE_MAX_DEPTH }) maxDepth: number,
    @Args('asOf', { type: () => AsOfInput, nullable: true }) asOf?: AsOfInput,
  ): Promise<ProvDocumentModel> {
    const graph = await this.lineageQuery.lineage({
      id,
      direction: 'UPSTREAM',
      maxDepth,
      asOfPosition: asOf?.position ?? undefined,
      asOfTime: asOf?.time ?? undefined,
    });
    const document =
      format === ProvFormatEnum.PROV_JSON
        ? toProvJson(graph)
        : toProvOJsonLd(graph, {
            documentId: `${provId(graph.root.id)}/lineage@${graph.asOfPosition}`,
            extra: { 'radledger:complete': graph.complete, 'radledger:asOfPosition': graph.asOfPosition },
          });
    return {
      format,
      mediaType: format === ProvFormatEnum.PROV_JSON ? 'application/json' : 'application/ld+json',
      document: JSON.stringify(document),
      complete: graph.complete,
      truncatedAtDepth: graph.truncatedAtDepth,
      asOfPosition: graph.asOfPosition,
    };
  }
}
