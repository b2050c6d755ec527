import { randomUUID } from 'node:crypto';
import {
  operationsByField,
  validateInput,
  type ActionField,
  type CommandMetadata,
  type CommandResult,
  type CommandService,
  type OperationByField,
  type OperationDeclaration,
  type QueryField,
  type Static,
  type WorkflowCommand,
} from '@radledger/domain';
import { DomainError, ValidationError } from '@radledger/platform';
import type { TargetScope } from '@radledger/domain';
import type { AccessControl, Authorisation } from '../access/access-control.js';
import type { Caller } from '../access/caller.js';
import type { ReadPolicy } from '../access/read-policy.js';

/** What a client may add to any mutation (GraphQL `options`, CLI flags). */
export interface OperationOptions {
  /** Client-chosen id for idempotent retries. */
  commandId?: string | null;
  /** Optimistic concurrency: stale → STREAM_REVISION_CONFLICT (never retried for the client). */
  expectedRevision?: number | null;
  /** Why (required for edits and corrections; PHI-scanned, sealed). */
  reason?: string | null;
  correlationId?: string | null;
  /** The signer's password re-entered, for operations that sign (21 CFR 11.200(a)(1)). */
  password?: string | null;
}

export interface ActionContext {
  caller: Caller;
  auth: Authorisation;
  /** Who, as which role, why: the event metadata every append of this call carries. */
  metadata: CommandMetadata;
  options: OperationOptions;
  /**
   * The action's declared result policy for this caller (`none` when it declares none): what it
   * hands out of the read models is filtered, blinded and its sealed text opened, as the query's
   * answer would be, before it renders anything.
   */
  filter<T>(value: T): Promise<T>;
}

export interface QueryContext {
  caller: Caller;
  auth: Authorisation;
}

type InputOf<F extends ActionField | QueryField> = Static<OperationByField<F>['input']>;

/** The work behind each action mutation; the compiler checks every declared action has one. */
export type ActionHandlers = { [F in ActionField]: (input: InputOf<F>, ctx: ActionContext) => Promise<unknown> };

/**
 * The answer behind each query: `run` reads, the read policy filters and blinds what `run`
 * returned, `finish` (optional) turns the filtered value into the answer (e.g. a PROV document).
 */
export type QueryHandlers = {
  [F in QueryField]: { run(input: InputOf<F>, ctx: QueryContext): Promise<unknown>; finish?(value: never, input: InputOf<F>): unknown };
};

/** Called around every mutation (metrics); optional. */
export interface OperationObserver {
  finished(field: string, outcome: string, seconds: number, results: readonly CommandResult[]): void;
  /**
   * An authorised command the domain refused (e.g. MODEL_HASH_MISMATCH, MODEL_NOT_LOCKED):
   * nothing was appended, so the ledger cannot tell; live alerts are fed from here (ADR 0015).
   */
  refused?(field: string, code: string, message: string, target: TargetScope, caller: Caller | undefined, input: Readonly<Record<string, unknown>>): void;
}

/** A live feed authorised as a declared query: what a GraphQL subscription delivers goes through `filter`. */
export interface OperationFeed {
  /** The query's validated arguments. */
  args: Record<string, unknown>;
  /** The query's result policy for this caller: rows outside their trials and sites dropped, blinded values replaced, sealed text opened. */
  filter<T>(value: T): Promise<T>;
}

/**
 * The one write and read path for every entry (GraphQL, REST, CLI): validate the input against
 * the operation's declared schema → authorise the caller's current grants against its declared
 * access policy (recording refusals) → run: decide and append through the domain
 * CommandService, or the action's handler, or the query and the read policy. No entry point
 * holds an access rule of its own.
 */
export class OperationGateway {
  constructor(
    private readonly deps: {
      commands: CommandService;
      access: AccessControl;
      reads: ReadPolicy;
      actions: ActionHandlers;
      queries: QueryHandlers;
      client: string;
      /** Opens sealed free text on the way out (ADR 0007). */
      reveal?: (value: unknown) => Promise<unknown>;
      observer?: OperationObserver;
    },
  ) {}

  declaration(field: string): OperationDeclaration {
    const declaration = operationsByField.get(field);
    if (!declaration) throw new ValidationError('UNKNOWN_OPERATION', `operation: no operation ${JSON.stringify(field.slice(0, 80))}`, { field: 'operation' });
    return declaration;
  }

  /** A mutation: a command (decide and append) or an action (its handler). */
  async mutate(field: string, input: unknown, caller: Caller | undefined, options: OperationOptions = {}): Promise<unknown> {
    const declaration = this.declaration(field);
    if (declaration.kind !== 'mutation' && declaration.kind !== 'action') throw new ValidationError('UNKNOWN_OPERATION', `operation: ${field} is not a mutation`, { field: 'operation' });
    const started = process.hrtime.bigint();
    const results: CommandResult[] = [];
    try {
      const answer =
        declaration.kind === 'action' && declaration.many
          ? await this.each(declaration, input, caller, options, results)
          : await this.one(declaration, input, '', caller, options, results);
      this.deps.observer?.finished(field, 'ok', Number(process.hrtime.bigint() - started) / 1e9, results);
      return answer;
    } catch (error) {
      this.deps.observer?.finished(field, (error as { code?: string }).code ?? 'error', Number(process.hrtime.bigint() - started) / 1e9, results);
      throw error;
    }
  }

  /** A query: validated, authorised, run, filtered and blinded by its result policy, revealed, finished. */
  async query(field: string, input: unknown, caller: Caller | undefined): Promise<unknown> {
    const declaration = this.declaration(field);
    if (declaration.kind !== 'query') throw new ValidationError('UNKNOWN_OPERATION', `operation: ${field} is not a query`, { field: 'operation' });
    const args = validateInput(declaration.input, input ?? {});
    const auth = await this.deps.access.authorise(declaration, args, caller);
    const handler = this.deps.queries[field as QueryField] as { run(i: unknown, c: QueryContext): Promise<unknown>; finish?(v: unknown, i: unknown): unknown };
    const raw = await handler.run(args, { caller: caller!, auth });
    const filtered = await this.deps.reads.apply(declaration.result, raw, caller, auth.visibility);
    const revealed = this.deps.reveal ? await this.deps.reveal(filtered) : filtered;
    return handler.finish ? handler.finish(revealed, args) : revealed;
  }

  /**
   * A live feed (GraphQL subscription) authorised exactly as the declared query `field` with
   * this input: validated, the caller's current grants checked (refusals recorded), and every
   * pushed value filtered and blinded by that query's result policy. Call it again for each
   * delivery so a revoked grant or a locked account stops the feed at once.
   */
  async feed(field: string, input: unknown, caller: Caller | undefined): Promise<OperationFeed> {
    const declaration = this.declaration(field);
    if (declaration.kind !== 'query') throw new ValidationError('UNKNOWN_OPERATION', `operation: ${field} is not a query`, { field: 'operation' });
    const args = validateInput<Record<string, unknown>>(declaration.input, input ?? {});
    const auth = await this.deps.access.authorise(declaration, args, caller);
    return {
      args,
      filter: async <T>(value: T): Promise<T> => {
        const filtered = await this.deps.reads.apply(declaration.result, value, caller, auth.visibility);
        return (this.deps.reveal ? await this.deps.reveal(filtered) : filtered) as T;
      },
    };
  }

  /** A REST route: validated and authorised here; the controller does the transfer. */
  async route(field: string, input: unknown, caller: Caller | undefined): Promise<Authorisation> {
    const declaration = this.declaration(field);
    if (declaration.kind !== 'route') throw new ValidationError('UNKNOWN_OPERATION', `operation: ${field} is not a route`, { field: 'operation' });
    const args = validateInput(declaration.input, input ?? {});
    return this.deps.access.authorise(declaration, args, caller);
  }

  private async each(declaration: OperationDeclaration, input: unknown, caller: Caller | undefined, options: OperationOptions, results: CommandResult[]): Promise<unknown[]> {
    if (!Array.isArray(input) || input.length === 0 || input.length > 500) {
      throw new ValidationError('INPUT_INVALID', 'inputs: expected a list of 1 to 500 inputs', { field: 'inputs' });
    }
    const answers: unknown[] = [];
    // Each item is its own decision, authorised for its own target (one batch may span sites).
    for (let i = 0; i < input.length; i++) answers.push(await this.one(declaration, input[i], `inputs[${i}]`, caller, { ...options, commandId: options.commandId ? `${options.commandId}/${i}` : null }, results));
    return answers;
  }

  private async one(declaration: OperationDeclaration, input: unknown, root: string, caller: Caller | undefined, options: OperationOptions, results: CommandResult[]): Promise<unknown> {
    const data = validateInput<Record<string, unknown>>(declaration.input, input, root);
    const auth = await this.deps.access.authorise(declaration, data, caller);
    const metadata = this.metadata(caller, auth, options);
    if (declaration.kind === 'mutation') {
      let result: CommandResult;
      try {
        result = await this.deps.commands.execute({ type: declaration.command.type, data } as WorkflowCommand, metadata);
      } catch (error) {
        if (error instanceof DomainError) this.deps.observer?.refused?.(declaration.field, error.code, error.message, auth.target, caller, data);
        throw error;
      }
      results.push(result);
      return result;
    }
    const handler = this.deps.actions[declaration.field as ActionField] as (i: unknown, c: ActionContext) => Promise<unknown>;
    let answer: unknown;
    try {
      const result = declaration.result ?? 'none';
      const filter = async <T,>(value: T): Promise<T> => {
        const filtered = await this.deps.reads.apply(result, value, caller, auth.visibility);
        return (this.deps.reveal ? await this.deps.reveal(filtered) : filtered) as T;
      };
      answer = await handler(data, { caller: caller!, auth, metadata, options, filter });
    } catch (error) {
      if (error instanceof DomainError) this.deps.observer?.refused?.(declaration.field, error.code, error.message, auth.target, caller, data);
      throw error;
    }
    if (isCommandResult(answer)) results.push(answer);
    return answer;
  }

  private metadata(caller: Caller | undefined, auth: Authorisation, options: OperationOptions): CommandMetadata {
    return {
      actor: caller?.userId ?? 'anonymous',
      role: auth.role,
      ...(options.reason ? { reason: options.reason } : {}),
      correlationId: options.correlationId ?? options.commandId ?? randomUUID(),
      ...(options.commandId ? { commandId: options.commandId } : {}),
      ...(options.expectedRevision !== undefined && options.expectedRevision !== null ? { expectedRevision: options.expectedRevision } : {}),
      client: this.deps.client,
    };
  }
}

function isCommandResult(value: unknown): value is CommandResult {
  return !!value && typeof value === 'object' && 'streamId' in value && 'events' in value && 'nextExpectedRevision' in value;
}
