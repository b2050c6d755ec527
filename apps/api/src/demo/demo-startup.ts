import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DEMO_USERS, demoExampleQueries, loadDemoTrial, type DemoExampleQuery, type DemoTrialResult } from '@radledger/demo';
import type { EventStore } from '@radledger/ledger';
import type { Application } from '@radledger/application';
import type { AppConfig } from '../config/app.config.js';
import { APPLICATION } from '../ledger/ledger.tokens.js';

/** The development demo token lasts a working day, so the printed commands keep working. */
const DEMO_TOKEN_TTL_SECONDS = 12 * 60 * 60;

export interface DemoStartup {
  result: DemoTrialResult;
  queries: DemoExampleQuery[];
  /** A read-only (QA) session token for the printed commands; development only. */
  token?: string;
  /** Who to sign in as at the console, with their demo passwords; development only. */
  signIns?: DemoSignIn[];
}

export interface DemoSignIn {
  userId: string;
  printedName: string;
  role: string;
  password: string;
}

/** The three users of the console on the demo trial: a trial monitor, a QA lead, a regulatory-affairs manager. */
export const DEMO_SIGN_IN_USERS = [DEMO_USERS.monitor, DEMO_USERS.qa, DEMO_USERS.regulatory] as const;

/** Where the development demo passwords are kept (mode 0600) so every start prints the same ones. */
export function demoPasswordsFile(config: AppConfig): string {
  return join(config.dataDir, 'demo-passwords.json');
}

/**
 * Development only: gives the demo's monitor, QA and regulatory users a password they can sign
 * in with at once. Each password is random per data dir, set by the user for themselves (a
 * password set by an administrator is temporary and forces a change at the first login:
 * libs/application/src/identity), recorded as their own `PasswordSet` with the reason, and
 * kept in <data dir>/demo-passwords.json. Never runs outside development.
 */
export async function ensureDemoPasswords(application: Application, config: AppConfig): Promise<DemoSignIn[]> {
  if (!config.development) return [];
  const file = demoPasswordsFile(config);
  const kept: Record<string, string> = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const signIns: DemoSignIn[] = [];
  let changed = false;
  for (const user of DEMO_SIGN_IN_USERS) {
    const account = await application.identity.user(user.userId);
    if (!account || account.locked) continue;
    let password = kept[user.userId];
    const stored = await application.credentials.passwordHash(user.userId);
    if (!password || !stored) {
      password = `demo-${randomBytes(12).toString('base64url')}`;
      const caller = { userId: user.userId, printedName: account.printedName, grants: account.grants, authMethod: 'system' as const, issuedAt: new Date() };
      const metadata = { actor: user.userId, role: 'self', correlationId: randomUUID(), client: 'radledger-demo', reason: 'Development demo: password for the web console, printed at start-up' };
      await application.identity.setUserPassword({ caller, metadata }, { userId: user.userId, password });
      kept[user.userId] = password;
      changed = true;
    }
    signIns.push({ userId: user.userId, printedName: user.printedName, role: user.role, password });
  }
  if (changed) writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`, { mode: 0o600 });
  return signIns;
}

/**
 * First start on the embedded store: loads the demo trial (skipped when the ledger is not
 * empty) and prepares the three example queries with ids taken from the ledger.
 */
export async function loadDemoOnStartup(app: INestApplication, config: AppConfig, log: (line: string) => void): Promise<DemoStartup | undefined> {
  const application = app.get<Application>(APPLICATION);
  const runtime = application.runtime;
  const result = config.demo ? await loadDemoTrial(runtime, { log }) : { skipped: true as const, reason: 'RADLEDGER_DEMO is off', ledgerSize: (await runtime.store.head()).size };
  const example = result.skipped ? await exampleFromLedger(runtime.store) : { trialId: result.trialId, example: result.example };
  if (!example) return { result, queries: [] };
  const queries = demoExampleQueries(example);
  const token = config.development
    ? await application.tokens.issueSessionToken({ userId: DEMO_USERS.qa.userId, printedName: DEMO_USERS.qa.printedName }, new Date(), DEMO_TOKEN_TTL_SECONDS)
    : undefined;
  const signIns = await ensureDemoPasswords(application, config);
  return { result, queries, token, ...(signIns.length > 0 ? { signIns } : {}) };
}

/** The first recorded decision, for example queries on a ledger loaded earlier. */
async function exampleFromLedger(store: EventStore): Promise<Parameters<typeof demoExampleQueries>[0] | undefined> {
  for (let from = 0; ; from += 1000) {
    const page = await store.readAll(from, 1000);
    const made = page.find((e) => e.type === 'ModelDecisionMade');
    if (made) {
      const d = made.data as { decisionId: string; trialId: string; subjectId: string; modelId: string; modelVersion: string };
      return { trialId: d.trialId, example: { decisionId: d.decisionId, subjectId: d.subjectId, modelId: d.modelId, modelVersion: d.modelVersion } as never };
    }
    if (page.length < 1000) return undefined;
  }
}

/** What the start-up log prints: each question, and a curl command that runs it as printed. */
export function demoBanner(url: string, startup: DemoStartup): string {
  if (startup.queries.length === 0) return '';
  const consoleUrl = url.replace(/\/graphql$/, '/');
  const auth = startup.token ? `-H 'authorization: Bearer ${startup.token}' ` : `-H 'authorization: Bearer <token from the login mutation>' `;
  const lines: string[] = [];
  if (startup.signIns && startup.signIns.length > 0) {
    lines.push('', `Web console: ${consoleUrl} — sign in on the demo trial as (development only; kept in <data dir>/demo-passwords.json):`);
    for (const u of startup.signIns) lines.push(`   ${u.role.padEnd(10)} user ${u.userId.padEnd(16)} password ${u.password}   (${u.printedName})`);
    lines.push(`GraphiQL (development): ${url.replace(/\/graphql$/, '/graphiql')}`);
  }
  lines.push('', 'Try these (a QA session token for the demo is included; development only):', '');
  startup.queries.forEach((q, i) => {
    lines.push(`${i + 1}. ${q.title}`);
    lines.push(`   ${q.query}`);
    lines.push(`   curl -s ${url} -H 'content-type: application/json' ${auth}-d '${JSON.stringify({ query: q.query }).replace(/'/g, "'\\''")}'`);
    lines.push('');
  });
  return lines.join('\n');
}
