import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import request from 'supertest';
import { loadDemoTrial, type DemoTrialSummary } from '@radledger/demo';
import type { Runtime } from '@radledger/application';
import { DOSSIER_DOWNLOAD_TTL_MS } from '@radledger/application';
import { RUNTIME } from '../ledger/ledger.tokens.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';

const EXPORT = `mutation Export($trialId: String!, $modelVersion: String) {
  exportDossier(trialId: $trialId, modelVersion: $modelVersion) {
    trialId modelVersion location sha256 bytes eventCount decisionCount publicKey
    checkpoint { note origin treeSize rootHash reused }
    verification { ok checks { check status detail failures } }
    checklists {
      filledFromLedger forPeople
      items { checklist item title status evidence evidenceTruncated sourceEventIds sourceEventCount why score { points min max remainderForPeople } }
      rqs { ledgerScore possibleMin possibleMax maximum ledgerPercent }
    }
  }
}`;

interface ChecklistItemAnswer {
  checklist: string;
  item: string;
  title: string;
  status: string;
  evidence: string | null;
  evidenceTruncated: boolean;
  sourceEventIds: string[];
  sourceEventCount: number;
  why: string | null;
  score: { points: number | null; min: number; max: number; remainderForPeople: string | null } | null;
}

interface DossierExportAnswer {
  exportDossier: {
    trialId: string;
    modelVersion: string | null;
    location: string;
    sha256: string;
    bytes: number;
    eventCount: number;
    decisionCount: number;
    publicKey: string;
    checkpoint: { note: string; origin: string; treeSize: number; rootHash: string; reused: boolean };
    verification: { ok: boolean; checks: Array<{ check: string; status: string; detail: string; failures: string[] | null }> };
    checklists: { filledFromLedger: number; forPeople: number; items: ChecklistItemAnswer[]; rqs: { ledgerScore: number; possibleMin: number; possibleMax: number; maximum: number; ledgerPercent: number } };
  };
}

/** The CLI as a user runs it (`npm run cli -- verify-dossier …`), in its own process. */
function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('exportDossier over GraphQL on the demo trial (SQLite)', () => {
  let api: TestApi;
  let runtime: Runtime;
  let demo: DemoTrialSummary;
  let exported: DossierExportAnswer['exportDossier'];

  before(async () => {
    api = await startTestApi('sqlite');
    runtime = api.app.get<Runtime>(RUNTIME);
    const loaded = await loadDemoTrial(runtime);
    assert.equal(loaded.skipped, false);
    demo = loaded as DemoTrialSummary;
    const regulatory = await api.tokenFor('reg-1', [{ role: 'regulatory' }], 'Rita Regulatory');
    const res = await api.graphql<DossierExportAnswer>(regulatory, EXPORT, { trialId: demo.trialId });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    exported = res.data!.exportDossier;
  });
  after(async () => api?.close());

  test('regulatory exports a .zip under <data dir>/dossiers that verifies, and the answer describes it', () => {
    assert.equal(dirname(exported.location), join(api.dataDir, 'dossiers'));
    assert.match(exported.location, new RegExp(`/${demo.trialId}-\\d{8}T\\d{9}Z\\.zip$`));
    const bytes = readFileSync(exported.location);
    assert.equal(exported.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(exported.bytes, bytes.length);
    assert.equal(exported.trialId, demo.trialId);
    assert.equal(exported.modelVersion, null);
    assert.equal(exported.decisionCount, demo.eventsByType['ModelDecisionMade']);
    assert.ok(exported.eventCount > exported.decisionCount);
    assert.equal(exported.publicKey, runtime.signingKey.verifierKey);
    assert.match(exported.checkpoint.note, new RegExp(`^${exported.checkpoint.origin}\\n${exported.checkpoint.treeSize}\\n`));
    assert.equal(exported.verification.ok, true, JSON.stringify(exported.verification.checks));
    assert.deepEqual(
      exported.verification.checks.map((c) => `${c.check} ${c.status}`),
      ['manifest', 'public-key', 'manifest-signature', 'file-hashes', 'checkpoint-signature', 'event-hashes', 'inclusion-proofs', 'chain-links', 'lineage-complete', 'event-count'].map((c) => `${c} PASS`),
    );
  });

  test('issue 9: the demo trial’s dossier passes the CLI verify-dossier with the ledger key pinned, and a changed byte fails it', () => {
    const ok = cli(['verify-dossier', exported.location, '--public-key', runtime.signingKey.verifierKey]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^PASS {2}lineage-complete /m);
    assert.match(ok.stdout, /dossier VERIFIED\n$/);
    const manifest = JSON.parse(strFromU8(unzipSync(readFileSync(exported.location))['manifest.json']!)) as { counts: { events: number } };
    assert.equal(manifest.counts.events, exported.eventCount);

    const damaged = Buffer.from(readFileSync(exported.location));
    damaged[Math.floor(damaged.length / 2)]! ^= 0x01;
    const path = join(api.dataDir, 'damaged.zip');
    writeFileSync(path, damaged);
    const bad = cli(['verify-dossier', path, '--public-key', runtime.signingKey.verifierKey]);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.doesNotMatch(bad.stdout, /dossier VERIFIED/);
  });

  test('the demo’s feature sets are re-computed with their recorded extractorSettings and its decisions re-run: all MATCH', () => {
    const doc = JSON.parse(strFromU8(unzipSync(readFileSync(exported.location))['reproducibility.json']!)) as { results: Array<{ kind: string; id: string; status: string; settingsSource?: string; assumptions?: string[] }> };
    const featureSets = doc.results.filter((r) => r.kind === 'feature-set');
    const decisions = doc.results.filter((r) => r.kind === 'decision');
    assert.equal(featureSets.length, demo.eventsByType['FeaturesComputed']);
    assert.equal(decisions.length, demo.eventsByType['ModelDecisionMade']);
    for (const r of featureSets) {
      assert.equal(r.status, 'MATCH', JSON.stringify(r));
      assert.equal(r.settingsSource, 'extractorSettings', r.id);
      assert.equal(r.assumptions, undefined, r.id);
    }
    for (const r of decisions) assert.equal(r.status, 'MATCH', JSON.stringify(r));
  });

  test('report.html shows the free text opened (sealed in the ledger, ADR 0007); events.ndjson keeps the ciphertext the proofs cover', () => {
    const files = unzipSync(readFileSync(exported.location));
    const report = strFromU8(files['report.html']!);
    const events = strFromU8(files['events.ndjson']!);
    assert.ok(events.includes('enc:v1:'), 'the ledger bytes hold sealed text');
    assert.ok(!report.includes('enc:v1:'), 'the report holds no sealed envelope');
  });

  test('report.html lists the lock gates each lock met (issue 15): every gate of its plan, with what it found', () => {
    const report = strFromU8(unzipSync(readFileSync(exported.location))['report.html']!);
    const table = /<table id="table-lock-gates">[\s\S]*?<\/table>/.exec(report)?.[0];
    assert.ok(table, 'a lock-gates table');
    const rows = [...table.matchAll(/<tr><td>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.split('</td><td>').map((c) => c.replace(/<[^>]+>/g, '')));
    const locks = ['idh-logreg 1', 'mgmt-trees 1', 'idh-logreg 2'];
    const gates = ['independent-validator', 'independent-sites', 'intended-use', 'metrics-with-ci', 'feature-reliability'];
    for (const lock of locks) {
      const [model, version] = lock.split(' ');
      const mine = rows.filter((r) => r[0] === model && r[1] === version);
      assert.deepEqual(mine.map((r) => r[4]), gates, `${lock}: every gate of its plan`);
      for (const r of mine) assert.equal(r[6], 'true', `${lock} met ${r[4]}: ${r[7]}`);
    }
    assert.match(table, /SITE-TYO/);
  });

  test('model-lock.json agrees with the compliance view: no demo decision deviates from the version locked for its model at the time', () => {
    const doc = JSON.parse(strFromU8(unzipSync(readFileSync(exported.location))['model-lock.json']!)) as unknown;
    const counts: number[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k === 'deviationCount' && typeof x === 'number' ? counts.push(x) : walk(x));
    };
    walk(doc);
    assert.ok(counts.length >= 3, 'one entry per model version');
    assert.deepEqual(counts.filter((c) => c > 0), []);
  });

  test('checklists.json on the demo names every segmentation tool used (the manual editor too), every deviation, and scores RQS', () => {
    const doc = JSON.parse(strFromU8(unzipSync(readFileSync(exported.location))['checklists.json']!)) as {
      items: Array<{ guideline: string; item: string; value?: { tools?: string[]; deviations?: unknown[] }; score?: unknown }>;
      rqs: { ledgerScore: number; maximum: number };
    };
    const tools = doc.items.find((i) => i.guideline === 'CLAIM 2024' && i.item === 'annotation-method')!.value!.tools!;
    assert.ok(tools.includes('manual-contour-editor 2.4'), JSON.stringify(tools));
    assert.ok(tools.length >= 2, 'the automatic tool and the manual editor');
    const adherence = doc.items.find((i) => i.item === 'protocol-adherence')!;
    assert.equal(adherence.value!.deviations!.length, demo.eventsByType['ProtocolDeviationDetected']);
    assert.equal(doc.items.filter((i) => i.guideline === 'RQS').length, 16);
    assert.ok(doc.rqs.ledgerScore > 0 && doc.rqs.maximum === 36);
    assert.ok(doc.items.some((i) => i.guideline === 'PROBAST+AI'));
  });

  test('issue 16: the answer carries every checklist item of checklists.json with its evidence, or why it is left for people', () => {
    const doc = JSON.parse(strFromU8(unzipSync(readFileSync(exported.location))['checklists.json']!)) as {
      items: Array<{ guideline: string; item: string; topic: string; status: string; value?: unknown; sourceEventIds?: string[]; sourceEventCount?: number; why?: string; score?: { points: number | null; min: number; max: number } }>;
      rqs: { ledgerScore: number; possibleRange: [number, number]; maximum: number };
    };
    const { checklists } = exported;
    assert.deepEqual(
      checklists.items.map((i) => `${i.checklist} ${i.item} ${i.status} ${i.title}`),
      doc.items.map((i) => `${i.guideline} ${i.item} ${i.status} ${i.topic}`),
    );
    for (const guideline of ['TRIPOD+AI', 'CLAIM 2024', 'METRICS', 'CLEAR', 'RQS', 'PROBAST+AI']) {
      assert.ok(checklists.items.some((i) => i.checklist === guideline && i.status === 'filled-from-ledger'), `${guideline}: at least one item with evidence`);
    }
    checklists.items.forEach((answer, n) => {
      const written = doc.items[n]!;
      if (answer.status === 'filled-from-ledger') {
        assert.ok(answer.evidence, `${answer.item}: evidence`);
        if (!answer.evidenceTruncated) assert.deepEqual(JSON.parse(answer.evidence), written.value, `${answer.item}: the evidence is the bundle's value`);
        else assert.ok(answer.evidence.length <= 4001 && JSON.stringify(written.value).startsWith(answer.evidence.slice(0, -1)));
        assert.deepEqual(answer.sourceEventIds, written.sourceEventIds ?? []);
        assert.equal(answer.sourceEventCount, written.sourceEventCount ?? written.sourceEventIds?.length ?? 0);
      } else {
        assert.equal(answer.status, 'for-people');
        assert.ok(answer.why && answer.why === written.why, `${answer.item}: why it is for people`);
      }
      if (written.score) assert.deepEqual({ points: answer.score!.points, min: answer.score!.min, max: answer.score!.max }, { points: written.score.points, min: written.score.min, max: written.score.max });
    });
    const sourced = checklists.items.find((i) => i.sourceEventIds.length > 0)!;
    assert.ok(sourced, 'some evidence names its events');
    assert.equal(checklists.filledFromLedger + checklists.forPeople, checklists.items.length);
    assert.equal(checklists.filledFromLedger, doc.items.filter((i) => i.status === 'filled-from-ledger').length);
    assert.deepEqual(checklists.rqs, { ledgerScore: doc.rqs.ledgerScore, possibleMin: doc.rqs.possibleRange[0], possibleMax: doc.rqs.possibleRange[1], maximum: 36, ledgerPercent: checklists.rqs.ledgerPercent });
  });

  test('qa may export one model version; monitor and site-operator are FORBIDDEN, as is a grant scoped to another trial', async () => {
    const qa = await api.tokenFor('qa-1', [{ role: 'qa' }], 'Quinn QA');
    const { modelId, modelVersion } = demo.example;
    const one = await api.graphql<DossierExportAnswer>(qa, EXPORT, { trialId: demo.trialId, modelVersion: `${modelId}@${modelVersion}` });
    assert.equal(one.errors, undefined, JSON.stringify(one.errors));
    assert.equal(one.data!.exportDossier.modelVersion, `${modelId}@${modelVersion}`);
    assert.ok(one.data!.exportDossier.decisionCount > 0 && one.data!.exportDossier.decisionCount <= exported.decisionCount);
    assert.equal(one.data!.exportDossier.verification.ok, true);
    assert.notEqual(one.data!.exportDossier.location, exported.location);

    const before = readdirSync(join(api.dataDir, 'dossiers')).length;
    for (const [who, grants] of [
      ['mon-1', [{ role: 'monitor' as const }]],
      ['op-1', [{ role: 'site-operator' as const }]],
      ['qa-other', [{ role: 'qa' as const, trialId: 'ANOTHER-TRIAL' }]],
    ] as const) {
      const token = await api.tokenFor(who, [...grants]);
      const res = await api.graphql(token, EXPORT, { trialId: demo.trialId });
      assert.equal(res.errors?.[0]?.extensions?.code, 'FORBIDDEN', `${who}: ${JSON.stringify(res.errors ?? res.data)}`);
      assert.equal(res.data, undefined);
    }
    assert.equal(readdirSync(join(api.dataDir, 'dossiers')).length, before, 'a refused export writes nothing');
  });

  test('issue 16: the download URL serves the zip while its user may export the trial; a tampered, expired, foreign or revoked link gets one 404', async () => {
    const token = await api.tokenFor('reg-download', [{ role: 'regulatory', trialId: demo.trialId }], 'Dana Download');
    const res = await api.graphql<{ exportDossier: { downloadUrl: string; downloadExpiresAt: string; sha256: string } }>(
      token,
      'mutation ($trialId: String!) { exportDossier(trialId: $trialId) { downloadUrl downloadExpiresAt sha256 } }',
      { trialId: demo.trialId },
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const { downloadUrl, downloadExpiresAt, sha256 } = res.data!.exportDossier;
    const left = Date.parse(downloadExpiresAt) - Date.now();
    assert.ok(left > 0 && left <= DOSSIER_DOWNLOAD_TTL_MS, `expires within ${DOSSIER_DOWNLOAD_TTL_MS} ms: ${left}`);
    const server = api.app.getHttpServer();
    const binary = (r: NodeJS.ReadableStream & { on: (e: string, f: (c?: Buffer) => void) => void }, done: (e: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      r.on('data', (c) => chunks.push(c!));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    };
    const get = (url: string, bearer?: string) => {
      const req = request(server).get(url).buffer(true).parse(binary as never);
      return bearer ? req.set('authorization', `Bearer ${bearer}`) : req;
    };
    const ok = await get(downloadUrl);
    assert.equal(ok.status, 200);
    assert.match(String(ok.headers['content-disposition']), /attachment/);
    assert.equal(createHash('sha256').update(ok.body as Buffer).digest('hex'), sha256);
    assert.equal((await get(downloadUrl, token)).status, 200, 'with the same user\'s bearer token');

    const url = new URL(downloadUrl, 'http://x');
    const variant = (key: string, value: string) => {
      const v = new URL(url);
      v.searchParams.set(key, value);
      return `${v.pathname}${v.search}`;
    };
    const someoneElse = await api.tokenFor('reg-other', [{ role: 'regulatory', trialId: demo.trialId }]);
    const refusals = [
      await get(variant('trial', 'OTHER-TRIAL')),
      await get(variant('user', 'reg-other')),
      await get(variant('expires', String(Date.now() - 1000))),
      await get(variant('sig', 'A'.repeat(43))),
      await get(downloadUrl, someoneElse),
    ];
    for (const r of refusals) {
      assert.equal(r.status, 404);
      assert.equal(JSON.parse((r.body as Buffer).toString('utf8')).error.code, 'NOT_FOUND');
    }
    // Revoked: the link stops working at once, and the refusal is in the audit trail.
    await api.tokenFor('reg-download', [], 'Dana Download');
    const revoked = await get(downloadUrl);
    assert.equal(revoked.status, 404);
    const denied = (await runtime.store.readAll(0, 100000)).filter((e) => e.type === 'AccessDenied' && e.meta.actor === 'reg-download');
    assert.equal(denied.length, 1);
  });

  test('an unknown trial is a typed error (DOSSIER_EMPTY in extensions.code) and leaves no file behind', async () => {
    const regulatory = await api.tokenFor('reg-2', [{ role: 'regulatory' }]);
    const before = readdirSync(join(api.dataDir, 'dossiers')).sort();
    const res = await api.graphql(regulatory, EXPORT, { trialId: 'NO-SUCH-TRIAL' });
    assert.equal(res.errors?.[0]?.extensions?.code, 'DOSSIER_EMPTY', JSON.stringify(res.errors));
    assert.match(res.errors![0]!.message, /NO-SUCH-TRIAL/);
    assert.deepEqual(readdirSync(join(api.dataDir, 'dossiers')).sort(), before);
  });
});
