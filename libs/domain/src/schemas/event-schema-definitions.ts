import { ANNOTATION, GRAPHQL_ANNOTATION, S } from '../shared/schema.js';
import { eventDataSchemas as declaredEventDataSchemas } from '../registry.js';

/**
 * Source of the committed JSON Schemas in schemas/events/<Type>.v<N>.json (draft 2020-12).
 * The data schemas come from the event declarations of each bounded context (registry.ts);
 * `node --import @swc-node/register/esm-register scripts/generate-event-schemas.ts` writes
 * them; a unit test fails when the committed files differ, so review sees every contract change.
 */
type Schema = Record<string, unknown>;

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

/** The envelope as stored (revision and position are 64-bit counters as decimal strings). */
export const envelopeSchema: Schema = {
  $schema: DRAFT,
  $id: 'https://radledger.dev/schemas/events/envelope.v1.json',
  title: 'RadLedger event envelope',
  ...S.obj({
    eventId: S.text(128),
    streamId: S.text(300),
    streamRevision: S.counter(),
    globalPosition: S.counter(),
    type: S.str({ pattern: '^[A-Z][A-Za-z0-9]{1,99}$' }),
    schemaVersion: S.int({ minimum: 1 }),
    data: S.json(),
    meta: S.obj({
      actor: S.text(200),
      role: S.text(100),
      onBehalfOf: S.optional(S.text(200)),
      reason: S.optional(S.sealedText()),
      correlationId: S.text(200),
      causationId: S.text(200),
      recordedAt: S.utc(),
      client: S.text(200),
    }),
    prevHash: S.sha256(),
    hash: S.optional(S.sha256()),
    canonical: S.optional(S.str()),
  }),
};

/** `Type.vN` → schema of the event's `data`. Old versions stay (stored events use them). */
export const eventDataSchemas: Record<string, Schema> = declaredEventDataSchemas() as Record<string, Schema>;

/** Annotation keywords our schemas carry (ajv's strict mode must know them). */
export const ANNOTATION_KEYWORDS = [ANNOTATION, GRAPHQL_ANNOTATION] as const;

/** The file content for `Type.vN`: the data schema wrapped with $schema, $id and title. */
export function eventSchemaDocument(key: string): Schema {
  return { $schema: DRAFT, $id: `https://radledger.dev/schemas/events/${key}.json`, title: `${key.replace('.v', ' data, version ')}`, ...eventDataSchemas[key] };
}
