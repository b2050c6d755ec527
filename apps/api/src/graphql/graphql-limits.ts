import { createRequire } from 'node:module';
import depthLimit from 'graphql-depth-limit';
import { GraphQLError, type ValidationRule } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { operationsByField } from '@radledger/domain';

// graphql-query-complexity's ESM build imports `graphql/index.mjs`, a second copy of graphql
// beside the CommonJS one Nest and Apollo load ("another module or realm" at validation).
// Its CommonJS build shares graphql's single CommonJS instance.
const { getComplexity, simpleEstimator, fieldExtensionsEstimator } = createRequire(import.meta.url)('graphql-query-complexity') as typeof import('graphql-query-complexity');

/** Deepest query accepted: lineage is walked by the server (maxDepth argument), not by nesting. */
export const MAX_QUERY_DEPTH = 10;
/** Cost budget of one operation (each field costs 1 unless its definition says more). */
export const MAX_QUERY_COST = 5000;

export const graphqlValidationRules: ValidationRule[] = [depthLimit(MAX_QUERY_DEPTH) as ValidationRule];

/**
 * A top-level operation costs what its declaration says (`access.cost`: verifyLedger, reproduce*,
 * exportDossier, deep lineage are expensive), plus its selection.
 */
function declaredCostEstimator(options: { type: { name: string }; field: { name: string }; childComplexity: number }): number | void {
  if (options.type.name !== 'Query' && options.type.name !== 'Mutation') return undefined;
  const declaration = operationsByField.get(options.field.name);
  if (!declaration) return undefined;
  return (declaration.access.cost ?? 1) + options.childComplexity;
}

/**
 * Query cost limit, checked once the operation and its variables are known (a static
 * validation rule would not see the variables).
 */
export const queryCostPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, schema }) {
        let cost: number;
        try {
          cost = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [declaredCostEstimator, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
          });
        } catch (error) {
          // graphql-query-complexity refuses huge documents ("maximum allowed number of nodes") with an uncoded error.
          throw new GraphQLError(`query too complex: ${(error as Error).message}`, { extensions: { code: 'QUERY_TOO_COMPLEX', limit: MAX_QUERY_COST, http: { status: 400 } } });
        }
        if (cost > MAX_QUERY_COST) {
          throw new GraphQLError(`query cost ${cost} exceeds the limit ${MAX_QUERY_COST}`, { extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit: MAX_QUERY_COST, http: { status: 400 } } });
        }
      },
    };
  },
};
