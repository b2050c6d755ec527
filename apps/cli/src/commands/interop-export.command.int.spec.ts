import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openRuntime } from '@radledger/application';
import { loadDemoTrial, type DemoTrialSummary } from '@radledger/demo';
import type { RecordedEvent } from '@radledger/ledger';
import { checkBidsProv, fhirValidator, openLineageValidator } from '../../../../libs/interop/src/testing/interop-validators.js';

/** Spawned asynchronously: the test's own HTTP server must keep answering while the CLI pushes. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, RADLEDGER_OPENLINEAGE_API_KEY: 'cli-key' };
    for (const name of ['RADLEDGER_SIGNING_KEY', 'RADLEDGER_STORE', 'RADLEDGER_DATA_DIR', 'RADLEDGER_READ_STORE', 'RADLEDGER_KEY_ENCRYPTION_KEY']) delete env[name];
    const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('cli export --format openlineage|fhir|bids-prov over the demo trial on SQLite', () => {
  let dir: string;
  let store: string;
  let demo: DemoTrialSummary;
  let events: RecordedEvent[];
  let server: Server;
  let endpoint: string;
  const received: Array<{ path: string; auth: string | undefined; body: { eventType: string; run: { runId: string } } }> = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'radledger-interop-cli-'));
    store = `sqlite:${join(dir, 'ledger.db')}`;
    const runtime = await openRuntime({ store, dataDir: dir, signingKeyPath: join(dir, 'signing-key.pem') });
    try {
      demo = (await loadDemoTrial(runtime)) as DemoTrialSummary;
      events = await runtime.store.readAll(0, 100_000);
    } finally {
      await runtime.close();
    }
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(body) as (typeof received)[number]['body'] });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('openlineage: schema-valid RunEvents named by content hash, written and pushed to /api/v1/lineage', async () => {
    const out = join(dir, 'ol.json');
    const r = await cli(['export', '--format', 'openlineage', '--trial', demo.trialId, '--store', store, '--data-dir', dir, '--out', out, '--push', endpoint]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { counts: { runEvents: number }; pushed: { sent: number; endpoint: string }; complete: boolean };
    const written = JSON.parse(readFileSync(out, 'utf8')) as Array<{ eventType: string; run: { runId: string }; inputs: Array<{ name: string }>; outputs: Array<{ name: string }> }>;
    assert.deepEqual(openLineageValidator()(written), []);
    assert.equal(summary.counts.runEvents, written.length);
    const decisions = events.filter((e) => e.type === 'ModelDecisionMade');
    assert.ok(decisions.length > 0);
    for (const d of decisions) assert.deepEqual(written.filter((e) => e.run.runId === d.eventId).map((e) => e.eventType), ['START', 'COMPLETE']);
    const shas = events.filter((e) => e.type === 'FeaturesComputed').map((e) => `sha256:${String((e.data as { resultSha256: string }).resultSha256)}`);
    const names = new Set(written.flatMap((e) => [...e.inputs, ...e.outputs].map((d) => d.name)));
    for (const sha of shas) assert.ok(names.has(sha), sha);
    assert.equal(summary.pushed.sent, written.length);
    assert.equal(summary.pushed.endpoint, `${endpoint}/api/v1/lineage`);
    assert.deepEqual(received.map((x) => x.body), written);
    assert.ok(received.every((x) => x.path === '/api/v1/lineage' && x.auth === 'Bearer cli-key'));
  });

  test('fhir: a Bundle valid against the FHIR R4 schema; --blind leaves no decision value', async () => {
    const out = join(dir, 'fhir.json');
    const r = await cli(['export', '--format', 'fhir', '--trial', demo.trialId, '--store', store, '--data-dir', dir, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const bundle = JSON.parse(readFileSync(out, 'utf8')) as { entry: Array<{ resource: { resourceType: string } }> };
    assert.deepEqual(fhirValidator()(bundle), []);
    const provenances = bundle.entry.filter((e) => e.resource.resourceType === 'Provenance').length;
    assert.ok(provenances >= events.filter((e) => ['SegmentationCreated', 'SegmentationEdited', 'FeaturesComputed', 'ModelDecisionMade'].includes(e.type)).length);
    const labels = new Set(events.filter((e) => e.type === 'ModelDecisionMade').map((e) => String((e.data as { decision: string }).decision)));
    const text = readFileSync(out, 'utf8');
    assert.ok([...labels].some((l) => text.includes(l)), 'unblinded, the operator sees the decisions');
    const blindOut = join(dir, 'fhir-blind.json');
    const blind = await cli(['export', '--format', 'fhir', '--trial', demo.trialId, '--store', store, '--data-dir', dir, '--out', blindOut, '--blind']);
    assert.equal(blind.code, 0, blind.stderr);
    const blinded = readFileSync(blindOut, 'utf8');
    for (const l of labels) assert.ok(!blinded.includes(`: ${l}`), `blinded export shows ${l}`);
    assert.deepEqual(fhirValidator()(JSON.parse(blinded)), []);
  });

  test('bids-prov: the files of one subject under --out; no subject is SUBJECT_REQUIRED; an unknown trial is NOT_FOUND', async () => {
    const subjectId = String((events.find((e) => e.type === 'ModelDecisionMade')!.data as { subjectId: string }).subjectId);
    const out = join(dir, 'bids');
    const r = await cli(['export', '--format', 'bids-prov', '--trial', demo.trialId, '--subject', subjectId, '--store', store, '--data-dir', dir, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { files: Array<{ path: string; sha256: string }> };
    const files = summary.files.map((f) => ({ path: f.path.slice(out.length + 1), mediaType: '', content: readFileSync(f.path, 'utf8'), sha256: f.sha256 }));
    assert.deepEqual(checkBidsProv(files), []);
    const missing = await cli(['export', '--format', 'bids-prov', '--trial', demo.trialId, '--store', store, '--data-dir', dir, '--out', out]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /SUBJECT_REQUIRED.*--subject/);
    const unknown = await cli(['export', '--format', 'fhir', '--trial', 'NO-SUCH-TRIAL', '--store', store, '--data-dir', dir, '--out', join(dir, 'x.json')]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /NOT_FOUND/);
  });
});
