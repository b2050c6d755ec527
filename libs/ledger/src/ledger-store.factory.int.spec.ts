import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DomainError } from '@radledger/platform';
import { PostgresEventStore } from './adapters/postgres-event-store.adapter.js';
import { SqliteEventStore } from './adapters/sqlite-event-store.adapter.js';
import { openEventStore } from './ledger-store.factory.js';
import { dropSchema, freshSchemaName } from './testing/ledger-backends.js';
import { newTestEvent } from './testing/ledger-fixtures.js';
import { TEST_POSTGRES_URL } from './testing/postgres-test-url.js';

function code(expected: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, expected, error.message);
    return true;
  };
}

describe('openEventStore', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'radledger-factory-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('opens sqlite:<path>, creating the parent directory', async () => {
    const path = join(dir, 'a', 'b', 'ledger.db');
    const store = await openEventStore(`sqlite:${path}`);
    assert.ok(store instanceof SqliteEventStore);
    await store.append('s', 'no-stream', [newTestEvent()]);
    await store.close();
    assert.ok(existsSync(path));
    const again = await openEventStore(`sqlite:${path}`, { create: false });
    assert.equal((await again.head()).size, 1);
    await again.close();
  });

  it('opens postgres:// and postgresql:// URLs in the schema named by ?schema=', async () => {
    const schema = freshSchemaName();
    try {
      const store = await openEventStore(`${TEST_POSTGRES_URL}?schema=${schema}`);
      assert.ok(store instanceof PostgresEventStore);
      assert.equal((store as PostgresEventStore).schema, schema);
      await store.append('s', 'no-stream', [newTestEvent()]);
      await store.close();
      const again = await openEventStore(`${TEST_POSTGRES_URL.replace('postgres://', 'postgresql://')}?schema=${schema}`);
      assert.equal((await again.head()).size, 1);
      await again.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it('rejects unknown and empty URLs with STORE_URL_INVALID naming the accepted forms', async () => {
    for (const url of ['', 'mysql://localhost/db', './data/radledger.db', 'sqlite:', 'sqlite://no-path', 'postgres://', 'esdb://localhost:2113']) {
      await assert.rejects(openEventStore(url), (error: unknown) => {
        code('STORE_URL_INVALID')(error);
        assert.match((error as Error).message, /sqlite:<path>, postgres:\/\//);
        return true;
      });
    }
  });

  it('reports an unreachable PostgreSQL as STORE_UNREACHABLE without leaking the password', async () => {
    await assert.rejects(openEventStore('postgres://postgres:s3cret@127.0.0.1:1/test'), (error: unknown) => {
      code('STORE_UNREACHABLE')(error);
      assert.doesNotMatch((error as Error).message, /s3cret/);
      return true;
    });
    await assert.rejects(openEventStore('postgres://postgres@127.0.0.1:5432/no_such_database_here'), code('STORE_UNREACHABLE'));
  });

  it('reports a file that is not a database, or another application database, as STORE_CORRUPT and leaves it untouched', async () => {
    const garbage = join(dir, 'garbage.db');
    const bytes = Buffer.from('definitely not SQLite '.repeat(300));
    writeFileSync(garbage, bytes);
    await assert.rejects(openEventStore(`sqlite:${garbage}`), code('STORE_CORRUPT'));
    assert.deepEqual(readFileSync(garbage), bytes);

    const foreign = join(dir, 'foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, payload BLOB)');
    db.close();
    await assert.rejects(openEventStore(`sqlite:${foreign}`), code('STORE_CORRUPT'));
  });

  it('refuses to create a missing file when create is false', async () => {
    await assert.rejects(openEventStore(`sqlite:${join(dir, 'nope', 'x.db')}`, { create: false }), code('STORE_NOT_FOUND'));
    assert.ok(!readdirSync(dir).includes('nope'));
  });
});
