import type { TestApi } from '../testing/api-test-harness.js';

/** Test support: the live schema's operations and a placeholder call for each, built from introspection. */
export interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
}
interface FullType {
  kind: string;
  name: string;
  fields: Array<{ name: string; args: InputValue[]; type: TypeRef }> | null;
  inputFields: InputValue[] | null;
  enumValues: Array<{ name: string }> | null;
}
export interface OperationInfo {
  kind: 'query' | 'mutation';
  name: string;
  args: InputValue[];
  type: TypeRef;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }';
export const INTROSPECTION = `query Introspect { __schema { queryType { name } mutationType { name } types { kind name
  fields { name type { ${TYPE_REF} } args { name type { ${TYPE_REF} } } }
  inputFields { name type { ${TYPE_REF} } }
  enumValues { name } } } }`;

export class SchemaCatalogue {
  private readonly types = new Map<string, FullType>();
  readonly operations: OperationInfo[] = [];

  constructor(schema: { queryType: { name: string }; mutationType: { name: string } | null; types: FullType[] }) {
    for (const t of schema.types) this.types.set(t.name, t);
    for (const [kind, root] of [['query', schema.queryType?.name], ['mutation', schema.mutationType?.name]] as const) {
      for (const f of (root && this.types.get(root)?.fields) || []) this.operations.push({ kind, name: f.name, args: f.args, type: f.type });
    }
  }

  static async load(api: TestApi, token: string): Promise<SchemaCatalogue> {
    const res = await api.graphql<{ __schema: ConstructorParameters<typeof SchemaCatalogue>[0] }>(token, INTROSPECTION);
    if (!res.data) throw new Error(`introspection failed: ${JSON.stringify(res.errors)}`);
    return new SchemaCatalogue(res.data.__schema);
  }

  typeString(t: TypeRef): string {
    if (t.kind === 'NON_NULL') return `${this.typeString(t.ofType!)}!`;
    if (t.kind === 'LIST') return `[${this.typeString(t.ofType!)}]`;
    return t.name!;
  }

  named(t: TypeRef): FullType {
    let cur = t;
    while (cur.ofType) cur = cur.ofType;
    return this.types.get(cur.name!)!;
  }

  inputFields(t: TypeRef): InputValue[] {
    return this.named(t).inputFields ?? [];
  }

  /** A value of the right GraphQL type (required fields only), so the call reaches the resolver. */
  placeholder(t: TypeRef, scalar: (name: string) => unknown = defaultScalar): unknown {
    if (t.kind === 'NON_NULL') return this.placeholder(t.ofType!, scalar);
    if (t.kind === 'LIST') return [this.placeholder(t.ofType!, scalar)];
    const type = this.types.get(t.name!)!;
    switch (type.kind) {
      case 'ENUM':
        return type.enumValues![0]!.name;
      case 'INPUT_OBJECT':
        return Object.fromEntries((type.inputFields ?? []).filter((f) => f.type.kind === 'NON_NULL').map((f) => [f.name, this.placeholder(f.type, scalar)]));
      default:
        return scalar(type.name);
    }
  }

  /** `mutation($a0: T!) { op(arg: $a0) { __typename } }` with variables for every required argument. */
  call(op: OperationInfo, values?: Record<string, unknown>): { query: string; variables: Record<string, unknown> } {
    const required = op.args.filter((a) => a.type.kind === 'NON_NULL' || (values && a.name in values));
    const decl = required.map((a, i) => `$a${i}: ${this.typeString(a.type)}`).join(', ');
    const pass = required.map((a, i) => `${a.name}: $a${i}`).join(', ');
    const selection = ['OBJECT', 'INTERFACE', 'UNION'].includes(this.named(op.type).kind) ? ' { __typename }' : '';
    const variables = Object.fromEntries(required.map((a, i) => [`a${i}`, values && a.name in values ? values[a.name] : this.placeholder(a.type)]));
    return { query: `${op.kind}${decl ? `(${decl})` : ''} { ${op.name}${pass ? `(${pass})` : ''}${selection} }`, variables };
  }
}

export function defaultScalar(name: string): unknown {
  switch (name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'JSON':
    case 'JSONObject':
      return {};
    default:
      return 'x1';
  }
}
