import {
  GLOBAL_SCOPE,
  grantsReach,
  roleFor,
  visibilityOf,
  type OperationDeclaration,
  type Role,
  type RoleGrant,
  type ScopeMatch,
  type TargetScope,
  type Visibility,
} from '@radledger/domain';
import { AuthorizationError, RateLimitedError } from './access.errors.js';
import type { Caller } from './caller.js';
import type { ScopeResolver } from './scope-resolver.js';

/** What an authorised caller may do with this operation: the role recorded, the target, and what they see. */
export interface Authorisation {
  /** The role recorded as `meta.role` (`self` when the caller acts on their own account). */
  role: Role | 'self' | 'public';
  target: TargetScope;
  visibility: Visibility;
}

/** Records a refusal in the ledger (bounded: the operation name and a code, never the input). */
export interface DenialRecorder {
  record(caller: Caller, operation: string, reasonCode: 'ROLE_MISSING' | 'SCOPE_MISSING' | 'RATE_LIMITED'): Promise<void>;
}

/**
 * A read reaches a trial-level target through a site-scoped grant too: the answer is then
 * filtered to the caller's sites by the read policy. A write never does.
 */
function grantsSee(grants: readonly RoleGrant[], role: Role, target: TargetScope): boolean {
  const held = grants.filter((g) => g.role === role);
  if (target.trialIds.length === 0) return held.some((g) => g.trialId === undefined && g.siteId === undefined);
  return target.trialIds.some((trialId) =>
    held.some((g) => g.trialId === undefined || (g.trialId === trialId && (target.siteId === undefined || g.siteId === undefined || g.siteId === target.siteId))),
  );
}

const asTrials = (value: string | readonly string[] | undefined | null): string[] =>
  value === undefined || value === null ? [] : typeof value === 'string' ? [value] : [...value];

/** Per user and operation: at most `limit` calls in a sliding minute. In memory (per process). */
class MinuteRateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  take(key: string, limit: number): boolean {
    const t = this.now();
    const recent = (this.calls.get(key) ?? []).filter((x) => t - x < 60_000);
    if (recent.length >= limit) {
      this.calls.set(key, recent);
      return false;
    }
    recent.push(t);
    this.calls.set(key, recent);
    if (this.calls.size > 10_000) for (const [k, v] of this.calls) if (v.every((x) => t - x >= 60_000)) this.calls.delete(k);
    return true;
  }
}

/**
 * The one access decision for every entry (GraphQL, REST, CLI, identity): the caller's current
 * grants against the operation's declared roles and the target's trial and site (21 CFR
 * 11.10(d), (g)). A refusal is recorded and answered FORBIDDEN; an unknown record answers the
 * same as another trial's record.
 */
export class AccessControl {
  private readonly limiter: MinuteRateLimiter;

  constructor(
    private readonly deps: {
      scopes: ScopeResolver;
      denials?: DenialRecorder;
      now?: () => number;
    },
  ) {
    this.limiter = new MinuteRateLimiter(deps.now ?? (() => Date.now()));
  }

  async authorise(declaration: OperationDeclaration, input: unknown, caller: Caller | undefined): Promise<Authorisation> {
    const access = declaration.access as OperationDeclaration['access'] & { scope: { kind: string } };
    const scope = access.scope as Parameters<typeof this.targetOf>[0];
    const roles = access.roles as readonly Role[];
    if (scope.kind === 'public') return { role: 'public', target: GLOBAL_SCOPE, visibility: visibilityOf([], []) };
    if (!caller) throw new AuthorizationError(`${declaration.field}: sign in first`, { operation: declaration.field });
    // An action with a result policy hands out what a read answers (an export): authorised as that read.
    const reads = declaration.kind === 'query' || declaration.kind === 'route' || (declaration.kind === 'action' && declaration.result !== undefined);
    const match: ScopeMatch = access.match ?? (reads ? 'any' : 'all');

    const { target, ownerId } = await this.targetOf(scope, input);
    let role: Authorisation['role'] | undefined;
    if (scope.kind === 'self' || scope.kind === 'caller') {
      role = roles.find((r) => caller.grants.some((g) => g.role === r));
    } else if (scope.kind === 'record' && scope.self && ownerId !== undefined && ownerId === caller.userId) {
      role = 'self';
    } else {
      role = reads ? roles.find((r) => grantsSee(caller.grants, r, target)) : roleFor(caller.grants, roles, target, match);
    }
    if (role === undefined) {
      const holdsAny = roles.some((r) => caller.grants.some((g) => g.role === r));
      await this.deps.denials?.record(caller, declaration.field, holdsAny ? 'SCOPE_MISSING' : 'ROLE_MISSING');
      throw new AuthorizationError(
        holdsAny
          ? `${declaration.field}: your ${roles.join('/')} grants do not reach ${describe(target)}`
          : `${declaration.field}: needs one of ${roles.join(', ') || '(no role: public)'}`,
        { operation: declaration.field, required: roles },
      );
    }
    const limit = access.ratePerMinute;
    if (limit !== undefined && !this.limiter.take(`${caller.userId}|${declaration.field}`, limit)) {
      await this.deps.denials?.record(caller, declaration.field, 'RATE_LIMITED');
      throw new RateLimitedError(`${declaration.field}: at most ${limit} calls per minute per user; try again shortly`, { operation: declaration.field, limit });
    }
    return { role, target, visibility: visibilityOf(caller.grants, roles) };
  }

  /** Does `grants` let its holder act as `role` on `target` (the rule the matrix test derives its expectations from)? */
  static reaches(grants: readonly RoleGrant[], role: Role, target: TargetScope, reads: boolean): boolean {
    return reads ? grantsSee(grants, role, target) : grantsReach(grants, role, target, 'all');
  }

  private async targetOf(
    scope:
      | { kind: 'public' | 'self' | 'global' | 'caller' }
      | { kind: 'input'; trial: (i: never) => string | readonly string[] | undefined | null; site?: (i: never) => string | undefined | null }
      | { kind: 'record'; record: Parameters<ScopeResolver['resolve']>[0]; id: (i: never) => string | undefined | null; whenMissing?: (i: never) => TargetScope; self?: boolean },
    input: unknown,
  ): Promise<{ target: TargetScope; ownerId?: string }> {
    switch (scope.kind) {
      case 'public':
      case 'self':
      case 'global':
      case 'caller':
        return { target: GLOBAL_SCOPE };
      case 'input': {
        const trialIds = asTrials(scope.trial(input as never));
        const siteId = scope.site?.(input as never) ?? undefined;
        return { target: trialIds.length === 0 ? GLOBAL_SCOPE : { trialIds, ...(siteId ? { siteId } : {}) } };
      }
      case 'record': {
        const resolved = await this.deps.scopes.resolve(scope.record, scope.id(input as never));
        if (resolved) return { target: resolved.scope, ...(resolved.ownerId !== undefined ? { ownerId: resolved.ownerId } : {}) };
        return { target: scope.whenMissing ? scope.whenMissing(input as never) : GLOBAL_SCOPE };
      }
    }
  }
}

function describe(target: TargetScope): string {
  if (target.trialIds.length === 0) return 'this record (a global grant is needed)';
  return `trial ${target.trialIds.join(', ')}${target.siteId ? ` site ${target.siteId}` : ''}`;
}
