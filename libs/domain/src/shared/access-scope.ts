/**
 * Who may act on what (21 CFR 11.10(d), (g)): roles granted to a person, each limited to a
 * trial and optionally one of its sites. The rules here are the only ones: the write path,
 * the read policy, the identity context and the generated access matrix all call them.
 */
export const ROLES = ['site-operator', 'data-scientist', 'qa', 'regulatory', 'monitor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A role granted to a user: global when `trialId` is absent; a site-scoped grant names its trial too. */
export interface RoleGrant {
  role: Role;
  trialId?: string;
  siteId?: string;
}

/**
 * Where the target of an operation sits. `trialIds` empty means the target belongs to no
 * trial (or could not be found): only a global grant reaches it. A site is named only for
 * records that belong to one site (an acquisition and everything derived from it).
 */
export interface TargetScope {
  trialIds: readonly string[];
  siteId?: string;
}

export const GLOBAL_SCOPE: TargetScope = { trialIds: [] };

/**
 * A grant reaches a target in one trial when it is global, or names that trial and either no
 * site or the target's own site. A site-scoped grant never reaches a trial-level target (a
 * protocol, a model lock, the trial's audit trail as a whole).
 */
export function grantReachesTrial(grant: RoleGrant, trialId: string, siteId: string | undefined): boolean {
  if (grant.trialId === undefined) return grant.siteId === undefined;
  if (grant.trialId !== trialId) return false;
  return grant.siteId === undefined || grant.siteId === siteId;
}

/**
 * `all`: every trial of the target must be reached (writes: retiring a model locked in two
 * trials needs both). `any`: one suffices (reads: the view is then filtered to what the
 * caller may see).
 */
export type ScopeMatch = 'all' | 'any';

export function grantsReach(grants: readonly RoleGrant[], role: Role, target: TargetScope, match: ScopeMatch): boolean {
  const held = grants.filter((g) => g.role === role);
  if (target.trialIds.length === 0) return held.some((g) => g.trialId === undefined && g.siteId === undefined);
  const reached = (trialId: string) => held.some((g) => grantReachesTrial(g, trialId, target.siteId));
  return match === 'all' ? target.trialIds.every(reached) : target.trialIds.some(reached);
}

/** The first of `roles` (in the operation's order of preference) whose grants reach the target. */
export function roleFor(grants: readonly RoleGrant[], roles: readonly Role[], target: TargetScope, match: ScopeMatch): Role | undefined {
  return roles.find((role) => grantsReach(grants, role, target, match));
}

/** Does a grant of `role` to another person stay inside what `granter` administers? (No escalation.) */
export function grantWithin(outer: RoleGrant, inner: Omit<RoleGrant, 'role'>): boolean {
  if (outer.trialId === undefined) return outer.siteId === undefined;
  if (inner.trialId !== outer.trialId) return false;
  return outer.siteId === undefined || inner.siteId === outer.siteId;
}

/**
 * What a caller may see of one trial's records: every site, a list of sites, or nothing.
 * Derived from the grants of the roles an operation allows.
 */
export type TrialVisibility = 'all-sites' | ReadonlySet<string> | 'none';

export interface Visibility {
  /** True when a global grant lets the caller see every trial. */
  global: boolean;
  /** The trials named in the caller's grants of these roles (all of them, when `global`, are visible anyway). */
  trials: readonly string[];
  trial(trialId: string): TrialVisibility;
  /** Can the caller see a record of this trial (and site, when the record has one)? */
  sees(trialId: string | null | undefined, siteId?: string | null): boolean;
}

export function visibilityOf(grants: readonly RoleGrant[], roles: readonly Role[]): Visibility {
  const held = grants.filter((g) => roles.includes(g.role));
  const global = held.some((g) => g.trialId === undefined);
  const trial = (trialId: string): TrialVisibility => {
    if (global) return 'all-sites';
    const inTrial = held.filter((g) => g.trialId === trialId);
    if (inTrial.length === 0) return 'none';
    if (inTrial.some((g) => g.siteId === undefined)) return 'all-sites';
    return new Set(inTrial.map((g) => g.siteId!));
  };
  return {
    global,
    trials: [...new Set(held.flatMap((g) => (g.trialId ? [g.trialId] : [])))].sort(),
    trial,
    sees(trialId, siteId) {
      if (global) return true;
      if (typeof trialId !== 'string') return false;
      const v = trial(trialId);
      if (v === 'none') return false;
      if (v === 'all-sites') return true;
      return typeof siteId === 'string' && v.has(siteId);
    },
  };
}

/**
 * ICH E6(R3) / ICH E9 blinding: a monitor of a blinded trial must not see what the model
 * decided. Blinded = every grant of the caller that reaches the trial is `monitor`.
 */
export function blindedIn(grants: readonly RoleGrant[], trialId: string): boolean {
  const reaching = grants.filter((g) => g.trialId === undefined || g.trialId === trialId);
  return reaching.length > 0 && reaching.every((g) => g.role === 'monitor');
}

/** `role|trialId|siteId` — how the identity context keys a grant (`*` for none). */
export const grantKey = (g: RoleGrant): string => `${g.role}|${g.trialId ?? '*'}|${g.siteId ?? '*'}`;

export function parseGrantKey(key: string): RoleGrant | undefined {
  const [role, trialId, siteId] = key.split('|');
  if (!isRole(role)) return undefined;
  return { role, ...(trialId && trialId !== '*' ? { trialId } : {}), ...(siteId && siteId !== '*' ? { siteId } : {}) };
}
