import { GraphQLError, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Application } from '@radledger/application';

function asksForSchema(selections: SelectionSetNode | undefined, document: DocumentNode, seen = new Set<string>()): boolean {
  if (!selections) return false;
  for (const s of selections.selections) {
    if (s.kind === Kind.FIELD && (s.name.value === '__schema' || s.name.value === '__type')) return true;
    if (s.kind === Kind.INLINE_FRAGMENT && asksForSchema(s.selectionSet, document, seen)) return true;
    if (s.kind === Kind.FRAGMENT_SPREAD && !seen.has(s.name.value)) {
      seen.add(s.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
      if (fragment && fragment.kind === Kind.FRAGMENT_DEFINITION && asksForSchema(fragment.selectionSet, document, seen)) return true;
    }
  }
  return false;
}

/**
 * Production: the schema is shown only to signed-in callers (a map of every operation helps an
 * attacker more than a user); `__typename` stays open.
 */
export function introspectionForCallersOnly(app: () => Application): ApolloServerPlugin<{ req?: { headers?: Record<string, unknown> } }> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          const wantsSchema = document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && asksForSchema(d.selectionSet, document));
          if (!wantsSchema) return;
          const header = String(contextValue.req?.headers?.['authorization'] ?? '');
          const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
          const caller = token ? await app().authenticate(token).catch(() => undefined) : undefined;
          if (!caller) throw new GraphQLError('introspection needs a signed-in caller', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        },
      };
    },
  };
}
