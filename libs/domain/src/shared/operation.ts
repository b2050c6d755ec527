import type { RecordedEvent } from '@radledger/ledger';
import type { Static, TSchema } from './schema.js';
import type { Role, ScopeMatch, TargetScope } from './access-scope.js';
import type { Decider } from './decider.js';

/**
 * One declaration per operation (DESIGN "One operation, one declaration"). A command names
 * its input schema, stream, facts and decider; an operation (GraphQL mutation or query, REST
 * route) names its input and its access policy. Validation, GraphQL types, resolvers, event
 * schemas, the SDL and the access matrix are derived from these objects; the application layer
 * executes them through one path (authorise → load → decide → append).
 */
export type BoundedContext =
  | 'trial'
  | 'imaging'
  | 'segmentation'
  | 'features'
  | 'models'
  | 'decisions'
  | 'signatures'
  | 'identity'
  | 'redaction'
  | 'audit'
  | 'response-assessment'
  | 'provenance'
  | 'ledger';

/** Records whose trial and site the application layer can look up. */
export type RecordKind =
  | 'trial'
  | 'image'
  | 'segmentation'
  | 'feature-set'
  | 'model'
  | 'model-version'
  | 'decision'
  | 'event'
  | 'user'
  | 'lineage-node'
  | 'artifact'
  | 'api-token'
  /** A subject's response-assessment record: `<trialId>/<subjectId>`, or a bare subject pseudonym (every trial enrolling it). */
  | 'response';

/**
 * How the trial and site of an operation's target are found.
 * - `public`: no caller (login); `self`: the caller's own account, any role.
 * - `global`: a global grant of one of the roles.
 * - `caller`: any grant of the roles; results are filtered to the trials and sites the caller sees.
 * - `input`: named by the input (a command that creates a record, or a query by trial).
 * - `record`: from the record the input names (`whenMissing` for a record the command creates).
 */
export type ScopeSource<I> =
  | { kind: 'public' }
  | { kind: 'self' }
  | { kind: 'global' }
  | { kind: 'caller' }
  | { kind: 'input'; trial: (input: I) => string | readonly string[] | undefined | null; site?: (input: I) => string | undefined | null }
  | {
      kind: 'record';
      record: RecordKind;
      id: (input: I) => string | undefined | null;
      /** The scope when the record does not exist yet (e.g. the first version of a model). */
      whenMissing?: (input: I) => TargetScope;
      /** The caller may also act on a record they own (their own account, their own API token), whatever their roles. */
      self?: boolean;
    };

/** What the read policy does to a result before anyone sees it. */
export type ResultPolicy =
  /** Nothing trial-specific in it (ledger size, roots, the caller's own account). */
  | 'none'
  /** Objects naming a `trialId`/`siteId` the caller does not see are dropped; decisions blinded. */
  | 'rows'
  /** A lineage graph: nodes outside the caller's trials/sites dropped with their edges; decision nodes blinded. */
  | 'lineage'
  /** One event with its canonical bytes: a blinded decision keeps its proof, not its payload. */
  | 'event'
  /** A re-run of a decision: blinded callers see MATCH/MISMATCH, not the labels. */
  | 'reproduction';

export interface AccessPolicy<I> {
  /** Roles allowed, in order of preference (the first that reaches the target is recorded as `meta.role`). */
  roles: readonly Role[];
  scope: ScopeSource<I>;
  /** Default: `all` for mutations (every trial of the target), `any` for reads (then filtered). */
  match?: ScopeMatch;
  /** Relative cost for the query-cost limit (default 1); expensive operations say so. */
  cost?: number;
  /** Per-user calls per minute for expensive operations. */
  ratePerMinute?: number;
}

export type AnyDecider = Decider<any, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface LoadedStream<S = unknown> {
  streamId: string;
  state: S;
  events: RecordedEvent[];
  expectedRevision: number | 'no-stream';
}

/** What `facts` may read besides its own stream (loads go through the execution's read cache). */
export interface FactReader {
  load<S>(streamId: string, decider: { evolve(s: S, e: never): S; initialState(): S }): Promise<LoadedStream<S>>;
  findEvent(eventId: string, streamId?: string): Promise<RecordedEvent | undefined>;
  loadMask(sha256: string): Promise<import("../segmentation/mask-source.port.js").Mask>;
}

/** A domain command: its input, the stream it appends to, the facts it reads, its decider. */
export interface CommandDeclaration<T extends string = string, I extends TSchema = TSchema> {
  readonly type: T;
  readonly context: BoundedContext;
  readonly input: I;
  readonly decider: AnyDecider;
  /** Ids the client may leave out; `newId(name)` is deterministic when a commandId is given. */
  prepare?(data: Static<I>, newId: (name: string) => string): Static<I>;
  stream(data: Static<I>): string;
  facts?(data: Static<I>, own: LoadedStream, read: FactReader): Promise<unknown>;
}

/** A mutation whose input is exactly one command's input: authorise, then decide and append. */
export interface CommandMutation<F extends string = string, C extends CommandDeclaration = CommandDeclaration> {
  readonly kind: 'mutation';
  readonly field: F;
  readonly description: string;
  readonly input: C['input'];
  readonly access: AccessPolicy<Static<C['input']>>;
  readonly command: C;
}

/**
 * A mutation whose work the application layer does before it records commands (computing
 * features, running a locked model, verifying a signer, issuing a token). `records` lists the
 * commands it may append; its handler is looked up by `field` and typed against `input`.
 */
export interface ActionMutation<F extends string = string, I extends TSchema = TSchema> {
  readonly kind: 'action';
  readonly field: F;
  readonly context: BoundedContext;
  readonly description: string;
  readonly input: I;
  readonly access: AccessPolicy<Static<I>>;
  readonly records: readonly CommandDeclaration[];
  /** Called with a list (`inputs: [input]`, at most 500), answered with a list; each item is authorised on its own. */
  readonly many?: boolean;
  /** The mutation carries `credentials` (21 CFR 11.200: the signer re-enters the password). */
  readonly signs?: boolean;
  /**
   * An action that hands out what a read answers (an export) declares the read's result policy:
   * it is authorised as a read (a site-scoped grant reaches a trial-level export, filtered to its
   * sites) and filters what it renders through this policy (`ActionContext.filter`).
   */
  readonly result?: ResultPolicy;
}

export interface QueryDeclaration<F extends string = string, I extends TSchema = TSchema> {
  readonly kind: 'query';
  readonly field: F;
  readonly context: BoundedContext;
  readonly description: string;
  /** The query's arguments as one object schema (each property is a GraphQL argument). */
  readonly input: I;
  readonly access: AccessPolicy<Static<I>>;
  readonly result: ResultPolicy;
}

export interface RouteDeclaration<F extends string = string, I extends TSchema = TSchema> {
  readonly kind: 'route';
  /** `METHOD /path` as the controller serves it, e.g. `GET /artifacts/:sha256`. */
  readonly field: F;
  readonly context: BoundedContext;
  readonly description: string;
  readonly input: I;
  readonly access: AccessPolicy<Static<I>>;
  readonly result: ResultPolicy;
}

export type OperationDeclaration = CommandMutation | ActionMutation | QueryDeclaration | RouteDeclaration;

export function defineCommand<const T extends string, I extends TSchema>(declaration: CommandDeclaration<T, I>): CommandDeclaration<T, I> {
  return declaration;
}

/** Expose a command as a mutation; the GraphQL field is the command name in camelCase unless given. */
export function exposeCommand<C extends CommandDeclaration, const F extends string = string>(
  command: C,
  spec: { field?: F; description: string; access: AccessPolicy<Static<C['input']>> },
): CommandMutation<F, C> {
  const field = (spec.field ?? command.type.charAt(0).toLowerCase() + command.type.slice(1)) as F;
  return { kind: 'mutation', field, description: spec.description, input: command.input, access: spec.access, command };
}

export function defineAction<const F extends string, I extends TSchema>(declaration: Omit<ActionMutation<F, I>, 'kind'>): ActionMutation<F, I> {
  return { kind: 'action', ...declaration };
}

export function defineQuery<const F extends string, I extends TSchema>(declaration: Omit<QueryDeclaration<F, I>, 'kind'>): QueryDeclaration<F, I> {
  return { kind: 'query', ...declaration };
}

export function defineRoute<const F extends string, I extends TSchema>(declaration: Omit<RouteDeclaration<F, I>, 'kind'>): RouteDeclaration<F, I> {
  return { kind: 'route', ...declaration };
}

/** The command type a command declaration decides, as the deciders see it. */
export type CommandOf<C extends CommandDeclaration> = { readonly type: C['type']; readonly data: Static<C['input']> };
