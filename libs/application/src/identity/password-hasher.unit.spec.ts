import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DUMMY_PASSWORD_RECORD, hashPassword, parsePasswordRecord, verifyPassword } from './password-hasher.js';
import { grantCovers, parseScope } from './api-token.js';

const FAST = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };

test('scrypt records carry their parameters and verify only the right password', async () => {
  const record = await hashPassword('correct horse battery', FAST);
  assert.match(record, /^scrypt\$N=1024,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.deepEqual(parsePasswordRecord(record)?.params, FAST);
  assert.equal(await verifyPassword('correct horse battery', record), true);
  assert.equal(await verifyPassword('correct horse batterY', record), false);
  assert.notEqual(await hashPassword('correct horse battery', FAST), record, 'salted: the same password hashes differently');
  // NFC normalisation: the composed and decomposed forms of "é" are the same password.
  assert.equal(await verifyPassword('caf\u00e9-password', await hashPassword('cafe\u0301-password', FAST)), true);
});

test('tampered or hostile records never verify and never make scrypt run away', async () => {
  const record = await hashPassword('pw-123456789', FAST);
  const key = record.split('$')[3]!;
  const flipped = record.replace(/\$([^$]+)$/, (_m, k: string) => `$${(k[0] === 'A' ? 'B' : 'A') + k.slice(1)}`);
  assert.equal(await verifyPassword('pw-123456789', flipped), false);
  for (const bad of ['', 'plain', `scrypt$N=1073741824,r=8,p=1$${key}$${key}`, `scrypt$N=1000,r=8,p=1$${key}$${key}`, `scrypt$N=1024,r=99,p=1$${key}$${key}`, `argon2$${key}`]) {
    assert.equal(parsePasswordRecord(bad), undefined, bad);
    assert.equal(await verifyPassword('pw-123456789', bad), false);
  }
  assert.equal(await verifyPassword('anything-at-all', DUMMY_PASSWORD_RECORD), false);
});

test('API token scopes: role[:trial[:site]], covered only by an equal or wider grant', () => {
  assert.deepEqual(parseScope('site-operator:T1:BER'), { role: 'site-operator', trialId: 'T1', siteId: 'BER' });
  assert.deepEqual(parseScope('qa'), { role: 'qa' });
  for (const bad of ['wizard', 'qa:T1:S1:extra', "qa:' OR 1=1", '']) assert.throws(() => parseScope(bad), { code: 'INVALID_SCOPE' });
  assert.ok(grantCovers({ role: 'qa' }, { role: 'qa', trialId: 'T1' }));
  assert.ok(grantCovers({ role: 'site-operator', trialId: 'T1' }, { role: 'site-operator', trialId: 'T1', siteId: 'B' }));
  assert.ok(!grantCovers({ role: 'site-operator', trialId: 'T1', siteId: 'A' }, { role: 'site-operator', trialId: 'T1' }));
  assert.ok(!grantCovers({ role: 'qa' }, { role: 'admin' }));
});
