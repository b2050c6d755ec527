import Type, { type Static, type TSchema } from 'typebox';

/**
 * The one vocabulary for operation inputs and event data: TypeBox builds a JSON Schema
 * (draft 2020-12) and infers its TypeScript type, so the shape of a command or an event is
 * written once. Validation (ajv), the GraphQL input types, the committed event schemas and
 * the write path's PHI handling are all derived from these schema objects.
 *
 * `x-radledger` is an annotation keyword (registered with ajv) that tells the derivations what
 * a string is: `free-text` (typed by a person, PHI-scanned), `sealed` (free text that the write
 * path encrypts before append, ADR 0007), `pseudonym` (a subject id: refused if it looks like
 * a name or a date), `reason` (why a change was made: required where the operation says so).
 */
export { Type };
export type { Static, TSchema };

export const ANNOTATION = 'x-radledger';
/** GraphQL naming for derived types: `ID` for node ids, the enum or input type name otherwise. */
export const GRAPHQL_ANNOTATION = 'x-graphql';
export type TextKind = 'free-text' | 'sealed' | 'pseudonym' | 'reason';

export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$';
export const SHA256_PATTERN = '^[0-9a-f]{64}$';
/** `enc:v1:<keyId>:<label>:<nonce>:<ciphertext+tag>` (field-cipher.port.ts). */
const SEALED_PATTERN = '^enc:v1:[A-Za-z0-9_-]{1,64}:[A-Za-z][A-Za-z0-9.\\[\\]_-]{0,199}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22,}$';

/** Schema builders in the users' words. Events and inputs use the same ones. */
export const S = {
  id: (description?: string) => Type.String({ pattern: ID_PATTERN, ...(description ? { description } : {}) }),
  /** An id argument GraphQL types as `ID` (queries by node id). */
  gid: (description?: string) => Type.String({ pattern: ID_PATTERN, [GRAPHQL_ANNOTATION]: 'ID', ...(description ? { description } : {}) }),
  /** A lineage node or model version id as GraphQL `ID` (`decision:D-1`, `model:idh@2`, `idh@2`). */
  ref: (description?: string) => Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,299}$', [GRAPHQL_ANNOTATION]: 'ID', ...(description ? { description } : {}) }),
  /** An enum GraphQL exposes as its own enum type (values must be GraphQL names). */
  graphEnum: <const V extends readonly string[]>(name: string, values: V, opts: { default?: V[number]; description?: string } = {}) =>
    Type.Unsafe<V[number]>({ type: 'string', enum: [...values], [GRAPHQL_ANNOTATION]: name, ...opts }),
  /** An object GraphQL exposes as an input type of this name (shared by several operations). */
  named: <T extends TSchema>(name: string, schema: T): T => ({ ...schema, [GRAPHQL_ANNOTATION]: name }) as T,
  sha256: (description?: string) => Type.String({ pattern: SHA256_PATTERN, ...(description ? { description } : {}) }),
  str: (opts: { pattern?: string; minLength?: number; maxLength?: number; description?: string } = {}) => Type.String(opts),
  text: (maxLength = 2000, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) }),
  /** A string that may be empty (e.g. a phase label). */
  label: (maxLength: number) => Type.String({ maxLength }),
  /** Prose typed by a person in a command input: PHI-scanned before anything is written. */
  freeText: (maxLength = 2000, description?: string) => Type.String({ minLength: 1, maxLength, [ANNOTATION]: 'free-text', ...(description ? { description } : {}) }),
  /** Why a change was made; the operation decides whether it is required. */
  reason: (description = 'Why (recorded in the audit trail; PHI-scanned).') => Type.String({ maxLength: 2000, [ANNOTATION]: 'reason', description }),
  /** A subject pseudonym: never a name, a birth date or a record number (PHI_REJECTED). */
  pseudonym: (description = 'Trial pseudonym; never a name, birth date or record number (PHI_REJECTED).') =>
    Type.String({ pattern: ID_PATTERN, [ANNOTATION]: 'pseudonym', description }),
  /** Event data: free text the write path seals (plaintext shape or the sealed envelope, sized for base64url). */
  sealedText: (maxLength = 2000) =>
    Type.Unsafe<string>({
      [ANNOTATION]: 'sealed',
      anyOf: [
        { type: 'string', minLength: 1, maxLength },
        { type: 'string', pattern: SEALED_PATTERN, maxLength: Math.ceil((4 * (3 * maxLength + 16)) / 3) + 300 },
      ],
    }),
  num: (opts: { minimum?: number; maximum?: number; exclusiveMinimum?: number; description?: string; default?: number } = {}) => Type.Number(opts),
  int: (opts: { minimum?: number; maximum?: number; description?: string; default?: number } = {}) => Type.Integer(opts),
  bool: (description?: string, defaultValue?: boolean) => Type.Boolean({ ...(description ? { description } : {}), ...(defaultValue !== undefined ? { default: defaultValue } : {}) }),
  oneOf: <const V extends readonly string[]>(values: V, description?: string) =>
    Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) }),
  /** An object with exactly these properties (`additionalProperties: false`). */
  obj: <P extends Record<string, TSchema>>(properties: P, description?: string) =>
    Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) }),
  list: <T extends TSchema>(items: T, opts: { minItems?: number; maxItems?: number; description?: string } = {}) => Type.Array(items, opts),
  optional: <T extends TSchema>(schema: T) => Type.Optional(schema),
  nullable: <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]),
  /** `{ [name]: number }`, e.g. feature values by IBSI code. */
  numberMap: (opts: { minProperties?: number; description?: string } = {}) =>
    Type.Unsafe<Record<string, number>>({ type: 'object', propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$' }, additionalProperties: { type: 'number' }, ...opts }),
  /** A free-form JSON object (tool parameters, extractor settings); scanned for PHI keys and values. */
  json: (description?: string) => Type.Unsafe<Record<string, unknown>>({ type: 'object', ...(description ? { description } : {}) }),
  /** `[x, y, z]` with items of `item` (z may be null where `nullableLast`). */
  vec3: (item: Record<string, unknown>, nullableLast = false) =>
    Type.Unsafe<[number, number, number | null]>({
      type: 'array',
      prefixItems: [item, item, nullableLast ? { anyOf: [item, { type: 'null' }] } : item],
      items: false,
      minItems: 3,
    }),
  /** Exactly three items of one schema (a voxel grid's dims or spacing). */
  triple: <T>(item: Record<string, unknown>) => Type.Unsafe<[T, T, T]>({ type: 'array', items: item, minItems: 3, maxItems: 3 }),
  /** ISO 8601 UTC time ending in Z. */
  utc: () => Type.String({ format: 'date-time', pattern: 'Z$' }),
  /** 64-bit counters as decimal strings (JSON numbers lose precision above 2^53). */
  counter: () => Type.String({ pattern: '^(0|[1-9][0-9]{0,19})$' }),
  range: () => S.obj({ min: Type.Number(), max: Type.Number() }),
} as const;

/** The annotation of a schema node, if any. */
export function textKindOf(schema: unknown): TextKind | undefined {
  const value = (schema as Record<string, unknown> | null)?.[ANNOTATION];
  return typeof value === 'string' ? (value as TextKind) : undefined;
}

/** Property paths (dot-separated, `[]` for list items) whose schema carries `kind`. */
export function pathsOfKind(schema: unknown, kind: TextKind, prefix = ''): string[] {
  const node = schema as Record<string, unknown> | null;
  if (!node || typeof node !== 'object') return [];
  if (textKindOf(node) === kind) return [prefix];
  const out: string[] = [];
  const props = node['properties'] as Record<string, unknown> | undefined;
  if (props) for (const [key, child] of Object.entries(props)) out.push(...pathsOfKind(child, kind, prefix ? `${prefix}.${key}` : key));
  if (node['type'] === 'array' && node['items'] && typeof node['items'] === 'object') out.push(...pathsOfKind(node['items'], kind, `${prefix}[]`));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = node[key] as unknown[] | undefined;
    if (alts) for (const alt of alts) out.push(...pathsOfKind(alt, kind, prefix));
  }
  return [...new Set(out)];
}

/** Values at a path from `pathsOfKind` (missing or non-string values are skipped). */
export function valuesAt(value: unknown, path: string): Array<{ path: string; value: string }> {
  const parts = path.split('.');
  let nodes: Array<{ path: string; value: unknown }> = [{ path: '', value }];
  for (const part of parts) {
    const isList = part.endsWith('[]');
    const key = isList ? part.slice(0, -2) : part;
    const next: Array<{ path: string; value: unknown }> = [];
    for (const n of nodes) {
      const child = key === '' ? n.value : (n.value as Record<string, unknown> | null | undefined)?.[key];
      const childPath = key === '' ? n.path : n.path ? `${n.path}.${key}` : key;
      if (isList) {
        if (Array.isArray(child)) child.forEach((c, i) => next.push({ path: `${childPath}[${i}]`, value: c }));
      } else if (child !== undefined) next.push({ path: childPath, value: child });
    }
    nodes = next;
  }
  return nodes.filter((n): n is { path: string; value: string } => typeof n.value === 'string');
}
