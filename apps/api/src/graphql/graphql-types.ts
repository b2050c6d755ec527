import { Field, Float, ID, InputType, Int, registerEnumType, type ReturnTypeFuncValue } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { GRAPHQL_ANNOTATION } from '@radledger/domain';

type Schema = Record<string, unknown>;

/** A GraphQL type derived from a JSON Schema node, and whether the node admits null. */
interface Derived {
  type: ReturnTypeFuncValue;
  nullable: boolean;
}

const inputTypes = new Map<string, Function>();
const enumTypes = new Map<string, object>();

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `anyOf: [X, {type: null}]` → X, nullable. */
function unwrapNullable(schema: Schema): { schema: Schema; nullable: boolean } {
  const alternatives = schema['anyOf'] as Schema[] | undefined;
  if (alternatives && alternatives.length === 2) {
    const nonNull = alternatives.filter((a) => a['type'] !== 'null');
    if (nonNull.length === 1) return { schema: { ...nonNull[0]!, ...(schema['description'] ? { description: schema['description'] } : {}) }, nullable: true };
  }
  return { schema, nullable: false };
}

/** The GraphQL enum type of this name (registered once); output models name the same enums as the declarations. */
export function graphqlEnum(name: string, values: readonly string[]): object {
  const existing = enumTypes.get(name);
  if (existing) return existing;
  const enumObject = Object.fromEntries(values.map((v) => [v, v]));
  registerEnumType(enumObject, { name });
  enumTypes.set(name, enumObject);
  return enumObject;
}

/**
 * The GraphQL type of one JSON Schema node, as declared by the operation (libs/domain): objects
 * with properties become input types (named by `x-graphql` or by their path), free-form objects
 * the JSONObject scalar, enums String (validated against the schema, the error naming the allowed
 * values) unless `x-graphql` names an enum type; `x-graphql: ID` makes an id argument `ID`.
 */
export function graphqlTypeOf(raw: Schema, name: string): Derived {
  const { schema, nullable } = unwrapNullable(raw);
  const annotation = schema[GRAPHQL_ANNOTATION] as string | undefined;
  if (Array.isArray(schema['enum'])) {
    return { type: annotation ? graphqlEnum(annotation, schema['enum'] as string[]) : String, nullable };
  }
  switch (schema['type']) {
    case 'string':
      return { type: annotation === 'ID' ? ID : String, nullable };
    case 'integer':
      return { type: Int, nullable };
    case 'number':
      return { type: Float, nullable };
    case 'boolean':
      return { type: Boolean, nullable };
    case 'array': {
      const items = (schema['items'] && typeof schema['items'] === 'object' ? schema['items'] : (schema['prefixItems'] as Schema[] | undefined)?.[0]) as Schema | undefined;
      const item = items ? graphqlTypeOf(items, `${name}Item`) : { type: GraphQLJSONObject, nullable: true };
      return { type: [item.type] as ReturnTypeFuncValue, nullable };
    }
    case 'object':
      if (schema['properties'] && Object.keys(schema['properties'] as object).length > 0) return { type: inputTypeOf(schema, annotation ?? name), nullable };
      return { type: GraphQLJSONObject, nullable };
    default:
      return { type: GraphQLJSONObject, nullable };
  }
}

/** One input type per object schema, built once and cached by name. */
export function inputTypeOf(schema: Schema, name: string): Function {
  const typeName = name.endsWith('Input') ? name : `${name}Input`;
  const cached = inputTypes.get(typeName);
  if (cached) return cached;
  const cls = { [typeName]: class {} }[typeName]!;
  inputTypes.set(typeName, cls);
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  for (const [key, child] of Object.entries(schema['properties'] as Record<string, Schema>)) {
    const derived = graphqlTypeOf(child, `${typeName.replace(/Input$/, '')}${capitalise(key)}`);
    const description = (child['description'] as string | undefined) ?? (unwrapNullable(child).schema['description'] as string | undefined);
    Field(() => derived.type, {
      nullable: derived.nullable || !required.has(key) || child['default'] !== undefined,
      ...(description ? { description } : {}),
      ...(child['default'] !== undefined ? { defaultValue: child['default'] } : {}),
    } as Parameters<typeof Field>[1])(cls.prototype, key);
  }
  InputType(typeName, schema['description'] ? { description: schema['description'] as string } : {})(cls);
  return cls;
}

/** Each property of an operation's input as its own GraphQL argument (queries, and mutations that take plain arguments). */
export function argumentsOf(schema: Schema, operation: string): Array<{ name: string; type: ReturnTypeFuncValue; nullable: boolean; description?: string; defaultValue?: unknown }> {
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  return Object.entries((schema['properties'] as Record<string, Schema> | undefined) ?? {}).map(([key, child]) => {
    const derived = graphqlTypeOf(child, `${capitalise(operation)}${capitalise(key)}`);
    const description = child['description'] as string | undefined;
    const hasDefault = child['default'] !== undefined;
    return {
      name: key,
      type: derived.type,
      // An argument with a default is non-null with that default, as GraphQL prints it (`first: Int! = 50`).
      nullable: hasDefault ? false : derived.nullable || !required.has(key),
      ...(description ? { description } : {}),
      ...(hasDefault ? { defaultValue: child['default'] } : {}),
    };
  });
}
