import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TokenService } from './token.service.js';

const dir = mkdtempSync(join(tmpdir(), 'radledger-tokens-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a verified session token is remembered only until it expires; a tampered one never verifies', async () => {
  const tokens = new TokenService({ secretPath: join(dir, 'secret') });
  // A whole second, and every check given its clock: with the wall clock, a token issued at
  // x.999 s with a 1 s lifetime (exp counts whole seconds) would expire 1 ms later.
  const issued = Math.floor(Date.now() / 1000) * 1000;
  const token = await tokens.issueSessionToken({ userId: 'u-1', printedName: 'Una One' }, new Date(issued), 1);
  assert.equal((await tokens.verify(token, issued)).userId, 'u-1');
  assert.equal((await tokens.verify(token, issued + 500)).userId, 'u-1', 'the second check is answered from the cache');
  const [header, payload] = token.split('.');
  const forged = `${header}.${payload}.${'A'.repeat(43)}`;
  await assert.rejects(tokens.verify(forged, issued), (e: Error) => e.message.startsWith('token rejected'));
  // Past its exp (the clock given, not a sleep) the cached entry is dropped and the token is checked (and refused) again.
  await assert.rejects(tokens.verify(token, issued + 2_000), (e: Error) => e.message === 'token expired: log in again');
  assert.equal((await tokens.verify(token, issued)).userId, 'u-1', 'refused only past its exp');
  // Another service with another secret does not share the cache or accept the token.
  const other = new TokenService({ secretPath: join(dir, 'other-secret') });
  const fresh = await tokens.issueSessionToken({ userId: 'u-2', printedName: 'Two' });
  await assert.rejects(other.verify(fresh), (e: Error) => e.message.startsWith('token rejected'));
});
