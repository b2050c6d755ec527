import type { Grant } from './api/client.js';

export interface ConsolePage {
  path: string;
  title: string;
  /** Roles that see the page in the navigation (admin sees every page). */
  roles: readonly string[] | 'everyone';
}

/** What each user is shown; the API's access policy still decides every answer. */
export const PAGES: readonly ConsolePage[] = [
  { path: '/ledger', title: 'Ledger', roles: 'everyone' },
  { path: '/monitor', title: 'Compliance', roles: ['monitor'] },
  { path: '/qa/lineage', title: 'Lineage', roles: ['qa', 'monitor', 'regulatory'] },
  { path: '/qa/audit', title: 'Audit trail', roles: ['qa', 'monitor', 'regulatory'] },
  { path: '/qa/reviews', title: 'Audit reviews', roles: ['qa', 'monitor', 'regulatory'] },
  { path: '/regulatory', title: 'Dossier', roles: ['regulatory', 'qa'] },
];

export function pagesFor(grants: Grant[]): ConsolePage[] {
  const roles = new Set(grants.map((g) => g.role));
  return PAGES.filter((p) => p.roles === 'everyone' || roles.has('admin') || p.roles.some((r) => roles.has(r)));
}

/** The user's landing page: what their role is for. */
export function homeFor(grants: Grant[]): string {
  const roles = new Set(grants.map((g) => g.role));
  if (roles.has('monitor')) return '/monitor';
  if (roles.has('qa')) return '/qa/lineage';
  if (roles.has('regulatory')) return '/regulatory';
  return '/ledger';
}

/** The trial the console opens on: the first trial of the user's grants (the demo trial on the demo). */
export function trialsOf(grants: Grant[]): string[] {
  return [...new Set(grants.map((g) => g.trialId).filter((t): t is string => !!t))].sort();
}
