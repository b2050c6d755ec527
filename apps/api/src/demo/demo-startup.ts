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
  return { result, queries, token };
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
  const auth = startup.token ? `-H 'authorization: Bearer ${startup.token}' ` : `-H 'authorization: Bearer <token from the login mutation>' `;
  const lines = ['', 'Try these (a QA session token for the demo is included; development only):', ''];
  startup.queries.forEach((q, i) => {
    lines.push(`${i + 1}. ${q.title}`);
    lines.push(`   ${q.query}`);
    lines.push(`   curl -s ${url} -H 'content-type: application/json' ${auth}-d '${JSON.stringify({ query: q.query }).replace(/'/g, "'\\''")}'`);
    lines.push('');
  });
  return lines.join('\n');
}
