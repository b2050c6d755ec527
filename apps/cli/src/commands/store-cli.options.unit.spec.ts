import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAppConfig } from '../../../api/src/config/app.config.js';
import { resolveLocations } from './store-cli.options.js';

/** The CLI resolves RADLEDGER_STORE, _READ_STORE, _DATA_DIR, _SIGNING_KEY, … as the API does. */
const cases: Array<Record<string, string>> = [
  {},
  { RADLEDGER_DATA_DIR: '/srv/radledger' },
  { RADLEDGER_DATA_DIR: 'rel/dir' },
  { RADLEDGER_DATA_DIR: '' },
  { RADLEDGER_STORE: 'sqlite:/tmp/l.db' },
  { RADLEDGER_STORE: 'postgres://u@h/db', RADLEDGER_DATA_DIR: '/d' },
  { RADLEDGER_STORE: 'postgres://u@h/db', RADLEDGER_READ_STORE: 'sqlite:/tmp/r.db' },
  { RADLEDGER_STORE: 'kurrentdb://k:2113', RADLEDGER_DATA_DIR: '/d' },
  { RADLEDGER_SIGNING_KEY: '/keys/s.pem', RADLEDGER_KEY_ENCRYPTION_KEY: '/keys/kek', RADLEDGER_AUTH_SECRET_FILE: '/keys/auth' },
];

test('resolveLocations equals loadAppConfig for the same variables', () => {
  for (const env of cases) {
    const api = loadAppConfig(env, '/work/here');
    const flags = { store: env['RADLEDGER_STORE'], readStore: env['RADLEDGER_READ_STORE'], dataDir: env['RADLEDGER_DATA_DIR'], key: env['RADLEDGER_SIGNING_KEY'] };
    const cli = resolveLocations(flags, env, '/work/here');
    assert.deepEqual(cli, {
      dataDir: api.dataDir,
      store: api.store,
      readStore: api.readStore,
      signingKeyPath: api.signingKeyPath,
      keyEncryptionKeyPath: api.keyEncryptionKeyPath,
      authSecretPath: api.authSecretPath,
    }, JSON.stringify(env));
  }
});

test('a flag wins over nothing, a bad URL names the option', () => {
  assert.equal(resolveLocations({ dataDir: '/a' }, {}, '/').store, 'sqlite:/a/radledger.db');
  assert.throws(() => resolveLocations({ store: 'mysql://x' }, {}, '/'), /STORE_URL_INVALID.*--store .*RADLEDGER_STORE/);
  assert.throws(() => resolveLocations({ store: 'postgre://u:secret@h/db' }, {}, '/'), (error: Error) => !error.message.includes('secret') && error.message.includes('postgre://u:***@h/db'));
  assert.throws(() => resolveLocations({ store: 'sqlite:/a', readStore: 'kurrentdb://k' }, {}, '/'), /STORE_URL_INVALID.*--read-store .*RADLEDGER_READ_STORE/);
});
