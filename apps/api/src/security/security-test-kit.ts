import assert from 'node:assert/strict';
import request from 'supertest';
import { LedgerService, type EventStore, type RecordedEvent } from '@radledger/ledger';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';
import type { TestApi } from '../testing/api-test-harness.js';

/** The ledger behind a test API: size, every event, and full verification. */
export function ledgerOf(api: TestApi) {
  const store = api.app.get<EventStore>(EVENT_STORE);
  const ledger = api.app.get(LedgerService);
  return {
    size: async () => (await store.head()).size,
    stream: (streamId: string) => store.readStream(streamId),
    async all(): Promise<RecordedEvent[]> {
      const out: RecordedEvent[] = [];
      for (let from = 0; ; from += 1000) {
        const page = await store.readAll(from, 1000);
        out.push(...page);
        if (page.length < 1000) return out;
      }
    },
    /** Events appended at or after a global position. */
    since: (position: number) => store.readAll(position, 100000),
    /** Throws a typed LedgerVerificationError on any break in the chain. */
    verify: () => ledger.verifyLedger(),
  };
}

/** Error codes a client may see: typed, stable, never an internal error. */
export function assertTypedGraphqlError(errors: Array<{ message: string; extensions?: { code?: string } }> | undefined, context: string): string {
  assert.ok(errors && errors.length > 0, `${context}: expected an error`);
  const code = errors[0]!.extensions?.code;
  assert.equal(typeof code, 'string', `${context}: error without extensions.code: ${JSON.stringify(errors[0])}`);
  assert.match(code!, /^[A-Z][A-Z0-9_]+$/, `${context}: code ${code}`);
  assert.notEqual(code, 'INTERNAL_SERVER_ERROR', `${context}: ${JSON.stringify(errors[0])}`);
  for (const e of errors) assert.doesNotMatch(JSON.stringify(e), /\bat .+\.(ts|js):\d+|stacktrace/i, `${context}: a stack trace reached the client`);
  return code!;
}

/** The process still answers. */
export async function assertHealthy(api: TestApi): Promise<void> {
  const res = await request(api.app.getHttpServer()).get('/health');
  assert.equal(res.status, 200);
}
