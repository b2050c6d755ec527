import { test } from 'node:test';
import { startTestApi } from '../testing/api-test-harness.js';
test('debug', async () => {
  const api = await startTestApi('sqlite');
  const admin = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
  const aliases = `{ ${Array.from({ length: 6000 }, (_, i) => `a${i}: me { userId grants { role } }`).join(' ')} }`;
  console.log(JSON.stringify((await api.graphql(admin, aliases)).errors));
  await api.close();
});
