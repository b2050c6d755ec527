import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { SignJWT, generateKeyPair } from 'jose';
import { ROLES } from '@radledger/domain';
import { TokenService, SESSION_TOKEN_TTL_SECONDS } from '@radledger/application';
import { startTestApi, type TestApi, type TestBackend } from '../testing/api-test-harness.js';
import { SchemaCatalogue, type OperationInfo, type TypeRef } from './graphql-introspection.js';
import { assertHealthy, assertTypedGraphqlError, ledgerOf } from './security-test-kit.js';

/** Classic injection payloads for SQL (both dialects), JSON paths and shells: stored as data or refused, never executed. */
const INJECTIONS = [
  "' OR '1'='1",
  "x'; DROP TABLE events; --",
  'x"; DROP TABLE identity_passwords; --',
  "x' UNION SELECT canonical, hash FROM events --",
  '$1) OR 1=1 --',
  "\\'; DELETE FROM events WHERE ''='",
  "%' OR global_position > 0 --",
];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Every String/ID leaf reachable in an operation's arguments (optional ones too), as paths. */
function stringLeaves(catalogue: SchemaCatalogue, op: OperationInfo): string[][] {
  const out: string[][] = [];
  const walk = (t: TypeRef, path: string[], depth: number) => {
    const named = catalogue.named(t);
    if (named.kind === 'SCALAR' && (named.name === 'String' || named.name === 'ID')) out.push(path);
    else if (named.kind === 'INPUT_OBJECT' && depth < 3) for (const f of named.inputFields ?? []) walk(f.type, [...path, f.name], depth + 1);
  };
  for (const a of op.args) walk(a.type, [a.name], 0);
  return out;
}

/** Arguments with placeholders for every field on the path, and `value` at its end (inside lists: the first element). */
function argsWith(catalogue: SchemaCatalogue, op: OperationInfo, path: string[], value: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const a of op.args) if (a.type.kind === 'NON_NULL') args[a.name] = catalogue.placeholder(a.type);
  let type = op.args.find((a) => a.name === path[0])!.type;
  if (path.length === 1) return { ...args, [path[0]!]: isList(type) ? [value] : value };
  let holder: Record<string, unknown> = (args[path[0]!] ??= catalogue.placeholder(type)) as Record<string, unknown>;
  if (Array.isArray(holder)) holder = holder[0] as Record<string, unknown>;
  for (let i = 1; i < path.length; i++) {
    const field = catalogue.inputFields(type).find((f) => f.name === path[i])!;
    type = field.type;
    if (i === path.length - 1) holder[field.name] = isList(type) ? [value] : value;
    else {
      let next = (holder[field.name] ??= catalogue.placeholder(type)) as Record<string, unknown> | Array<Record<string, unknown>>;
      if (Array.isArray(next)) next = next[0]!;
      holder = next;
    }
  }
  return args;
}

function isList(t: TypeRef): boolean {
  return t.kind === 'LIST' || (t.kind === 'NON_NULL' && t.ofType!.kind === 'LIST');
}

for (const backend of ['sqlite', 'postgres'] as TestBackend[]) {
  describe(`bad-input corpus: typed errors, no crash, ledger verifies, nothing appended (${backend})`, () => {
    let api: TestApi;
    let superuser: string;
    let admin: string;
    let catalogue: SchemaCatalogue;
    let ledger: ReturnType<typeof ledgerOf>;
    const server = () => api.app.getHttpServer();

    /** The corpus invariant: the app still answers, the ledger verifies and did not grow. */
    async function unchanged(run: () => Promise<void>): Promise<void> {
      const before = await ledger.size();
      await run();
      await assertHealthy(api);
      assert.equal(await ledger.size(), before, 'something was appended');
      await ledger.verify();
    }

    before(async () => {
      api = await startTestApi(backend, { RADLEDGER_LOGIN_RATE_LIMIT: '100000' });
      ledger = ledgerOf(api);
      superuser = await api.tokenFor('u-root', ROLES.map((role) => ({ role })), 'Every Role');
      admin = await api.tokenFor('u-admin', [{ role: 'admin' }], 'Ada Admin');
      catalogue = await SchemaCatalogue.load(api, admin);
      const trial = await api.graphql(admin, 'mutation { registerTrial(input: { trialId: "T1", title: "Corpus", sponsor: "ACME" }) { streamId } }');
      assert.equal(trial.errors, undefined);
    });
    after(async () => api.close());

    test('malformed GraphQL: parse and validation failures are typed', async () => {
      await unchanged(async () => {
        for (const query of ['mutation { registerTrial(input: { trialId: "x" ', '{ me { userId ', '{ nosuchfield }', 'query { me { userId } } mutation', '}}}}', '{ me(a: ) }']) {
          const res = await api.graphql(admin, query);
          assertTypedGraphqlError(res.errors, query);
        }
        const notGraphql = await request(server()).post('/graphql').set('authorization', `Bearer ${admin}`).set('content-type', 'application/json').send({ query: 42 });
        assert.ok(notGraphql.status >= 400 && notGraphql.status < 500, `status ${notGraphql.status}`);
      });
    });

    test('deeply nested and oversized queries are refused by the depth, cost and size limits', async () => {
      await unchanged(async () => {
        const deep = `{ ${'me { grants { '.repeat(30)}role${' } }'.repeat(30)} }`;
        assertTypedGraphqlError((await api.graphql(admin, deep)).errors, 'depth 60');
        const veryDeep = `{ ${'a { '.repeat(20000)}b${' }'.repeat(20000)} }`;
        const res = await request(server()).post('/graphql').set('authorization', `Bearer ${admin}`).set('content-type', 'application/json').send({ query: veryDeep });
        assert.ok(res.status < 500, `status ${res.status}`);
        assertTypedGraphqlError(res.body.errors, 'depth 20000');
        const aliases = `{ ${Array.from({ length: 6000 }, (_, i) => `a${i}: me { userId grants { role } }`).join(' ')} }`;
        const wide = await api.graphql(admin, aliases);
        assert.equal(assertTypedGraphqlError(wide.errors, '6000 aliases'), 'QUERY_TOO_COMPLEX');
        const huge = `{ me { userId } } ${'#'.repeat(2 * 1024 * 1024)}`;
        const big = await request(server()).post('/graphql').set('authorization', `Bearer ${admin}`).set('content-type', 'application/json').send({ query: huge });
        assert.equal(big.status, 413);
        assert.equal(big.body.errors?.[0]?.extensions?.code, 'PAYLOAD_TOO_LARGE');
      });
    });

    test('enormous and pathological JSON bodies: too large, deeply nested, invalid JSON, invalid UTF-8', async () => {
      await unchanged(async () => {
        // serialize(identity): superagent would otherwise JSON-encode a Buffer body instead of sending its bytes.
        const post = (body: string | Buffer) => request(server()).post('/graphql').set('authorization', `Bearer ${admin}`).set('content-type', 'application/json').serialize((b: unknown) => b as string).send(body);
        const enormous = await post(JSON.stringify({ query: '{ me { userId } }', variables: { x: 'y'.repeat(5 * 1024 * 1024) } }));
        assert.equal(enormous.status, 413);
        assert.equal(enormous.body.errors?.[0]?.extensions?.code, 'PAYLOAD_TOO_LARGE');
        const nested = `{"query":"mutation($p: JSONObject!) { applyPreprocessing(input: { imageId: \\"i1\\", tool: \\"t\\", toolVersion: \\"1\\", parameters: $p, inputSha256: \\"${'a'.repeat(64)}\\", outputSha256: \\"${'b'.repeat(64)}\\" }) { streamId } }","variables":{"p":${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}}}`;
        const deepJson = await post(nested);
        assert.equal(deepJson.status, 400);
        assert.equal(assertTypedGraphqlError(deepJson.body.errors, 'JSON nested 50000 deep'), 'BODY_TOO_DEEP');
        const broken = await post('{"query": "{ me { userId } }", ');
        assert.equal(broken.status, 400);
        assert.equal(broken.body.errors?.[0]?.extensions?.code, 'BODY_INVALID_JSON');
        const invalidUtf8 = Buffer.concat([Buffer.from('{"query":"{ me { userId } }","variables":{"x":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}}')]);
        const utf8 = await post(invalidUtf8);
        assert.equal(utf8.status, 400);
        assert.equal(utf8.body.errors?.[0]?.extensions?.code, 'BODY_INVALID_UTF8');
        const overlong = Buffer.concat([Buffer.from('{"query":"{ me { userId } }","variables":{"x":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}}')]);
        assert.equal((await post(overlong)).body.errors?.[0]?.extensions?.code, 'BODY_INVALID_UTF8');
      });
    });

    test('forged, expired, unsigned (alg none), wrong-key, tampered and algorithm-confused JWTs are UNAUTHENTICATED and never recorded', async () => {
      const issuer = new TokenService({ secretPath: api.config.authSecretPath });
      const good = await issuer.issueSessionToken({ userId: 'u-admin', printedName: 'Ada' });
      const [h, p, s] = good.split('.');
      const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
      const now = Math.floor(Date.now() / 1000);
      const rsa = await generateKeyPair('RS256');
      const hs = (secret: Uint8Array, body: Record<string, unknown>, alg = 'HS256') => new SignJWT(body).setProtectedHeader({ alg }).sign(secret);
      const cases: Array<[string, string]> = [
        ['random string', 'not-a-jwt'],
        ['three garbage segments', 'aaa.bbb.ccc'],
        ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, grants: [{ role: 'admin' }] })}.`],
        ['alg none, signature kept', `${b64({ alg: 'none' })}.${p}.${s}`],
        ['tampered payload (role upgraded)', `${h}.${b64({ ...claims, grants: [{ role: 'admin' }] })}.${s}`],
        ['HS256 with a wrong key', await hs(new Uint8Array(32).fill(7), { ...claims, grants: [{ role: 'admin' }] })],
        ['HS512 with a wrong key', await hs(new Uint8Array(64).fill(7), { ...claims }, 'HS512')],
        ['RS256 claiming to be RadLedger (algorithm confusion)', await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey)],
        ['expired', await issuer.issueSessionToken({ userId: 'u-admin', printedName: 'Ada' }, new Date(Date.now() - (SESSION_TOKEN_TTL_SECONDS + 60) * 1000))],
        ['issued in the future', await hs(new Uint8Array(32), { ...claims, iat: now + 3600, exp: now + 7200 })],
        ['no subject', `${h}.${b64({ ...claims, sub: undefined })}.${s}`],
        ['malformed API token', 'rlt_short'],
        ['unknown API token', `rlt_${'Z'.repeat(43)}`],
        ['header-only injection', `${b64({ alg: 'HS256', kid: "../../../../dev/null' OR 1=1 --" })}.${p}.${s}`],
      ];
      await unchanged(async () => {
        for (const [label, token] of cases) {
          const res = await api.graphql(token, 'mutation { registerTrial(input: { trialId: "T-FORGED", title: "x", sponsor: "y" }) { streamId } }');
          assert.equal(assertTypedGraphqlError(res.errors, label), 'UNAUTHENTICATED', label);
        }
        const empty = await request(server()).post('/graphql').set('authorization', 'Bearer ').set('content-type', 'application/json').send({ query: '{ me { userId } }' });
        assert.equal(empty.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
        const basic = await request(server()).post('/graphql').set('authorization', 'Basic dTpw').set('content-type', 'application/json').send({ query: '{ me { userId } }' });
        assert.equal(basic.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      });
    });

    test('path traversal in artifact names and kinds is refused with a typed error; no file is served', async () => {
      await unchanged(async () => {
        for (const path of ['/artifacts/../../etc/passwd', '/artifacts/..%2F..%2Fetc%2Fpasswd', '/artifacts/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/artifacts/....//....//etc/passwd', `/artifacts/${'a'.repeat(63)}%00`, '/artifacts/..%5c..%5cwindows%5cwin.ini']) {
          const res = await request(server()).get(path).set('authorization', `Bearer ${admin}`);
          assert.ok(res.status >= 400 && res.status < 500, `${path}: status ${res.status}`);
          assert.match(String(res.body?.error?.code), /^[A-Z_]+$/, `${path}: ${res.text.slice(0, 200)}`);
          assert.doesNotMatch(res.text, /root:|\[fonts\]/);
        }
        const upload = await request(server()).post('/artifacts?kind=../../etc/passwd').set('authorization', `Bearer ${superuser}`).set('content-type', 'application/octet-stream').send(Buffer.from('x'));
        assert.equal(upload.status, 400);
        assert.equal(upload.body.error.code, 'VALIDATION_FAILED');
      });
    });

    test('PHI in free-text reasons and identifiers is refused with PHI_REJECTED', async () => {
      await unchanged(async () => {
        const withReason = (reason: string) => api.graphql(admin, 'mutation($o: CommandOptionsInput) { enrollSite(input: { trialId: "T1", siteId: "S-PHI", name: "Site" }, options: $o) { streamId } }', { o: { reason } });
        for (const reason of ['Re-scan for Smith^John', 'corrected, patient DOB 01/02/1960', 'MRN: 12345678 was wrong', 'call 555-123-4567 for details', 'mail jane.doe@example.org']) {
          const res = await withReason(reason);
          assert.equal(assertTypedGraphqlError(res.errors, reason), 'PHI_REJECTED', reason);
          assert.doesNotMatch(JSON.stringify(res.errors), /Smith|1960|12345678|555-123|jane\.doe/, 'the PHI is echoed back');
        }
        const subject = await api.graphql(superuser, 'mutation { enrollSubject(input: { trialId: "T1", siteId: "S1", subjectId: "Doe^Jane" }) { streamId } }');
        assertTypedGraphqlError(subject.errors, 'PHI subject id');
      });
    });

    test('a replayed signature (same person and meaning) is refused and appends nothing', async () => {
      const fresh = await api.tokenFor('u-signer', [{ role: 'qa' }], 'Sam Signer');
      const [event] = await ledger.stream('trial-T1');
      const sign = () => api.graphql(fresh, `mutation { signRecord(input: { eventId: "${event!.eventId}", meaning: "reviewed" }) { streamId } }`);
      assert.equal((await sign()).errors, undefined);
      await unchanged(async () => {
        assert.equal(assertTypedGraphqlError((await sign()).errors, 'replay'), 'SIGNATURE_DUPLICATE');
      });
    });

    test('SQL-injection strings in every string argument and filter of every operation: refused or stored as plain data', async () => {
      let refused = 0;
      let accepted = 0;
      for (const op of catalogue.operations) {
        for (const path of stringLeaves(catalogue, op)) {
          for (const payload of INJECTIONS) {
            const { query, variables } = catalogue.call(op, argsWith(catalogue, op, path, payload));
            const before = await ledger.size();
            const res = await api.graphql(superuser, query, variables);
            const label = `${op.name}(${path.join('.')}) = ${payload}`;
            const appended = await ledger.since(before);
            if (res.errors) {
              assertTypedGraphqlError(res.errors, label);
              refused++;
              // A failed password check (login, or a signer's re-entered password) is audited as LoginFailed (the fifth in a row locks the account); anything else leaves the ledger as it was.
              // (Failed logins for ids that name no account are counted and recorded once per window.)
              // A call over an operation's declared rate (e.g. exportDossier, 6 a minute) is refused before it runs and audited as one AccessDenied.
              const passwordCheck = op.name === 'login' || op.name === 'changePassword' || path.includes('password');
              const rateLimited = res.errors[0]?.extensions?.code === 'RATE_LIMITED';
              const audited = (e: { type: string; data: unknown }) =>
                (passwordCheck && ['LoginFailed', 'UnknownUserLoginsFailed', 'AccountLocked'].includes(e.type)) ||
                (rateLimited && e.type === 'AccessDenied' && (e.data as { reasonCode?: string }).reasonCode === 'RATE_LIMITED');
              assert.ok(appended.every(audited), `${label}: appended ${appended.map((e) => e.type).join(', ')}`);
            } else {
              accepted++;
              // Accepted only as data: the payload is in the recorded event verbatim (parameterised SQL, no interpretation).
              if (op.kind === 'mutation' && appended.length > 0 && !path.includes('password')) assert.ok(appended.some((e) => JSON.stringify(e.data).includes(JSON.stringify(payload).slice(1, -1))), `${label}: accepted but not stored verbatim`);
            }
          }
        }
      }
      assert.ok(refused > 100, `only ${refused} refusals`);
      await assertHealthy(api);
      const report = await ledger.verify();
      assert.equal(report.size, await ledger.size());
      const me = await api.graphql<{ me: { userId: string } }>(admin, '{ me { userId } }');
      assert.equal(me.data?.me.userId, 'u-admin');
      assert.ok(accepted >= 0);
    });
  });
}
