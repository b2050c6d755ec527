/** Roles of RadLedger users (issue 6), scoped to trials and sites. */
export const ROLES = ['site-operator', 'data-scientist', 'qa', 'regulatory', 'monitor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A role granted to a user, limited to one trial and/or site when those are set. */
export interface RoleGrant {
  role: Role;
  trialId?: string;
  siteId?: string;
}

/** The authenticated caller of a request: who acts (21 CFR 11.10(d), attributable records). */
export interface Actor {
  userId: string;
  printedName: string;
  grants: RoleGrant[];
  authMethod: 'session' | 'api-token' | 'oidc';
  /** When the credential was issued: signing needs a fresh one (21 CFR 11.200(a)(1)). */
  issuedAt: Date;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Does the actor hold one of `roles` for the given trial/site scope? */
export function holdsRole(actor: Actor, roles: readonly Role[], scope: { trialId?: string; siteId?: string } = {}): boolean {
  return actor.grants.some(
    (g) =>
      roles.includes(g.role) &&
      (g.trialId === undefined || scope.trialId === undefined || g.trialId === scope.trialId) &&
      (g.siteId === undefined || scope.siteId === undefined || g.siteId === scope.siteId),
  );
}

/** The role recorded in event metadata: the first grant that matches, else the first role held. */
export function primaryRole(actor: Actor, roles?: readonly Role[]): Role {
  const match = roles ? actor.grants.find((g) => roles.includes(g.role)) : undefined;
  return (match ?? actor.grants[0])?.role ?? 'monitor';
}
