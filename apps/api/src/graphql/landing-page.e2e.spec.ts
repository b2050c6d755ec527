import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';

/** Issue 4 §6: Apollo Sandbox is served in development only; test and production serve no landing page. */
for (const nodeEnv of ['test', 'production']) {
  describe(`GET /graphql from a browser serves no landing page (NODE_ENV=${nodeEnv})`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi('sqlite', { NODE_ENV: nodeEnv });
    });
    after(async () => api.close());

    test('Accept: text/html gets no HTML, no Sandbox, no GraphiQL', async () => {
      const res = await request(api.app.getHttpServer()).get('/graphql').set('accept', 'text/html');
      assert.equal(api.config.development, false);
      assert.doesNotMatch(String(res.headers['content-type'] ?? ''), /text\/html/);
      assert.doesNotMatch(res.text, /<html|<!DOCTYPE|sandbox|graphiql|apollographql\.com/i);
      // Apollo itself answered (a landing page would have been served before this check): a typed
      // GraphQL error (CSRF prevention refuses a browser GET without a preflight header), not a page.
      assert.equal(res.status, 400);
      assert.match(String(res.headers['content-type']), /application\/json/);
      assert.equal(res.body.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
    });
  });
}
