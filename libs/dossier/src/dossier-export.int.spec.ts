import { test, before, after } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { encodeVerifierKey, generateCheckpointSigner, signCheckpoint } from '@radledger/ledger';
import { exportDossier, verifyDossier, DossierError, DOSSIER_FILES, type DossierManifest, type DossierVerification, type DossierEventLine, type DossierCheckName } from '@radledger/dossier';
import type { FeaturesComputed } from '@radledger/domain';
import { buildDossierFixture, type DossierFixture } from './testing/dossier-fixture.js';

let fx: DossierFixture;
let out: string;
let bundle: string;
let manifest: DossierManifest;
const version = '0.1.0-test';

before(async () => {
  fx = await buildDossierFixture();
  out = mkdtempSync(join(tmpdir(), 'radledger-dossier-out-'));
  bundle = join(out, 'bundle');
  const result = await exportDossier(
    { store: fx.store, signer: fx.signer, radledgerVersion: version, reproducibility: fx.reproducibility },
    { trialId: fx.trialId, out: bundle },
  );
  manifest = result.manifest;
});

after(async () => {
  await fx.close();
  rmSync(out, { recursive: true, force: true });
});

const vkey = () => encodeVerifierKey(fx.signer);
const statusOf = (v: DossierVerification) => Object.fromEntries(v.checks.map((c) => [c.check, c.status])) as Record<DossierCheckName, string>;
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const lines = (dir: string) => read(dir, DOSSIER_FILES.events).trimEnd().split('\n');
const copy = (name: string) => {
  const dir = join(out, name);
  cpSync(bundle, dir, { recursive: true });
  return dir;
};
const events = (dir: string) => lines(dir).map((l) => JSON.parse(l) as DossierEventLine).map((l) => ({ ...l, event: JSON.parse(l.canonical) as { eventId: string; type: string; data: Record<string, unknown>; globalPosition: string } }));

test('a clean bundle passes every check with the pinned key, and warns only about pinning without it', async () => {
  const pinned = await verifyDossier(bundle, { pinnedPublicKey: vkey() });
  assert.equal(pinned.ok, true, JSON.stringify(pinned.checks, null, 1));
  assert.ok(pinned.checks.every((c) => c.status === 'PASS'), JSON.stringify(pinned.checks, null, 1));
  const unpinned = await verifyDossier(bundle);
  assert.equal(unpinned.ok, true);
  assert.equal(statusOf(unpinned)['public-key'], 'WARN');
});

test('the bundle holds the whole lineage of every decision of the trial, with proofs, and the manifest lists every file', async () => {
  const all = events(bundle);
  const types = all.map((e) => e.event.type);
  for (const t of ['TrialRegistered', 'SiteEnrolled', 'SubjectEnrolled', 'ImagingProtocolDefined', 'ImageAcquired', 'ProtocolDeviationDetected', 'PreprocessingApplied', 'SegmentationCreated', 'SegmentationEdited', 'SegmentationReviewed', 'FeaturesComputed', 'FeatureSetPartitionAssigned', 'ModelRegistered', 'ChangeControlPlanRecorded', 'ModelValidationRecorded', 'ModelLocked', 'ModelDecisionMade', 'DecisionOverridden', 'RecordSigned']) {
    assert.ok(types.includes(t), `bundle includes a ${t}`);
  }
  const decisions = all.filter((e) => e.event.type === 'ModelDecisionMade').map((e) => e.event.data['decisionId']);
  assert.deepEqual(decisions, ['DEC-1', 'DEC-2', 'DEC-3']);
  // The unenrolled-in-lineage subject GLIO01-B-0003 has no image or decision: not in the bundle.
  assert.ok(!all.some((e) => e.event.data['subjectId'] === 'GLIO01-B-0003'));
  // Every protocol deviation of the trial is in scope, not only those upstream of decisions (issue 15).
  assert.deepEqual(all.filter((e) => e.event.type === 'ProtocolDeviationDetected').map((e) => e.event.data['imageId']), ['IMG-2', 'IMG-4']);
  assert.ok(all.some((e) => e.event.type === 'SubjectEnrolled' && e.event.data['subjectId'] === 'GLIO01-A-0004'));
  // Every version locked for the trial, with or without decisions (issue 15).
  const locked = all.filter((e) => e.event.type === 'ModelLocked').map((e) => `${e.event.data['modelId']}@${e.event.data['version']}`);
  assert.deepEqual(locked, ['idh-logreg@1', 'idh-logreg@2', 'mgmt-trees@1']);
  assert.ok(all.some((e) => e.event.type === 'ModelRegistered' && e.event.data['modelId'] === 'mgmt-trees'));
  const positions = all.map((e) => e.leafIndex);
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
  assert.equal(manifest.counts.events, all.length);
  assert.equal(manifest.counts.decisions, 3);
  assert.equal(manifest.radledgerVersion, version);
  assert.equal(manifest.publicKey, vkey());
  assert.deepEqual(manifest.files.map((f) => f.name).sort(), ['checklists.json', 'events.ndjson', 'model-lock.json', 'prov.json', 'prov.jsonld', 'report.html', 'reproducibility.json']);
  for (const f of manifest.files) assert.equal(createHash('sha256').update(readFileSync(join(bundle, f.name))).digest('hex'), f.sha256, f.name);
  // The checkpoint was signed and recorded in the ledger.
  assert.equal((await fx.store.latestCheckpoint())!.note, manifest.checkpoint.note);
});

test('a model version filter keeps only that version’s decisions and lineage, and the checkpoint is reused', async () => {
  const dir = join(out, 'v1-only');
  const result = await exportDossier({ store: fx.store, signer: fx.signer, radledgerVersion: version }, { trialId: fx.trialId, modelVersion: 'idh-logreg@1', out: dir });
  const all = events(dir);
  assert.deepEqual(all.filter((e) => e.event.type === 'ModelDecisionMade').map((e) => e.event.data['decisionId']), ['DEC-1', 'DEC-2']);
  assert.ok(!all.some((e) => e.event.type === 'ModelRegistered' && e.event.data['version'] === '2'));
  assert.ok(!all.some((e) => e.event.data['modelId'] === 'mgmt-trees'), 'another model is out of a version-filtered scope');
  assert.deepEqual(all.filter((e) => e.event.type === 'ProtocolDeviationDetected').map((e) => e.event.data['imageId']), ['IMG-2'], 'a version-filtered dossier keeps the deviations upstream of its decisions');
  assert.equal(result.manifest.checkpoint.reused, true);
  assert.equal((await verifyDossier(dir, { pinnedPublicKey: vkey() })).ok, true);
  await assert.rejects(
    exportDossier({ store: fx.store, signer: fx.signer, radledgerVersion: version }, { trialId: 'NO-SUCH-TRIAL', out: join(out, 'none') }),
    (e: unknown) => e instanceof DossierError && e.code === 'DOSSIER_EMPTY',
  );
  // A locked version without any decision yet still has a dossier of its own.
  const lockOnly = await exportDossier({ store: fx.store, signer: fx.signer, radledgerVersion: version }, { trialId: fx.trialId, modelVersion: 'mgmt-trees@1', out: join(out, 'mgmt-only') });
  assert.equal(lockOnly.manifest.counts.decisions, 0);
  assert.deepEqual(events(join(out, 'mgmt-only')).filter((e) => e.event.type === 'ModelLocked').map((e) => e.event.data['modelId']), ['mgmt-trees']);
  assert.equal((await verifyDossier(join(out, 'mgmt-only'), { pinnedPublicKey: vkey() })).ok, true);
});

test('PROV-O JSON-LD and PROV-JSON (the read side’s serialisers, streamed per event) describe the same lineage', () => {
  const jsonld = JSON.parse(read(bundle, DOSSIER_FILES.provJsonLd)) as { '@context': Record<string, string>; '@graph': Array<Record<string, unknown>> };
  assert.equal(jsonld['@context']['prov'], 'http://www.w3.org/ns/prov#');
  const decision = jsonld['@graph'].find((n) => n['@id'] === 'radledger:decision:DEC-1' && n['@type']);
  assert.ok(decision, 'decision entity');
  assert.deepEqual(decision['@type'], ['prov:Entity', 'radledger:Decision']);
  assert.equal(decision['radledger:eventType'], 'ModelDecisionMade');
  const revisions = jsonld['@graph'].filter((n) => n['@id'] === 'radledger:mask:SEG-1-v2').flatMap((n) => (n['prov:wasRevisionOf'] as Array<{ '@id': string }> | undefined) ?? []);
  assert.deepEqual(revisions, [{ '@id': 'radledger:mask:SEG-1-v1' }]);
  const provJson = JSON.parse(read(bundle, DOSSIER_FILES.provJson)) as Record<string, Record<string, Record<string, unknown>>>;
  assert.ok(provJson['entity']!['radledger:decision:DEC-1']);
  assert.ok(provJson['entity']!['radledger:model:idh-logreg@2']);
  const generated = Object.values(provJson['wasGeneratedBy']!).filter((r) => r['prov:entity'] === 'radledger:decision:DEC-1');
  assert.equal(generated.length, 1);
  const entitiesLd = new Set(jsonld['@graph'].filter((n) => Array.isArray(n['@type']) && (n['@type'] as string[]).includes('prov:Entity')).map((n) => n['@id']));
  assert.deepEqual(entitiesLd, new Set(Object.keys(provJson['entity']!)));
  const eventIds = new Set(events(bundle).map((e) => e.event.eventId));
  for (const record of Object.values(provJson['used']!)) assert.ok(eventIds.has(String(record['radledger:eventId'])), 'every relation names an event in the bundle');
});

test('model-lock.json: hashes, locks with signatures, PCCP, tested vs released, sequestration and per-site counts', () => {
  const doc = JSON.parse(read(bundle, DOSSIER_FILES.modelLock)) as { modelVersions: Array<Record<string, any>> };
  const v1 = doc.modelVersions.find((v) => v['version'] === '1')!;
  const v2 = doc.modelVersions.find((v) => v['version'] === '2')!;
  assert.equal(v1['locks'].length, 1);
  assert.ok(v1['signatures'].some((s: { meaning: string }) => s.meaning === 'approved'));
  assert.deepEqual(v1['testedVsReleased'][0].findings, ['NOT_VALIDATED: no validation record for this version']);
  assert.equal(v2['testedVsReleased'][0].identical, true);
  assert.equal(v2['testedVsReleased'][0].testedSha256, v2['sha256']);
  assert.equal(v2['changeControlPlans'][0].planId, 'PCCP-1');
  assert.deepEqual(v1['decisionsBySite'], { 'SITE-B': { [v1['sha256']]: 2 } });
  assert.equal(v1['decisionsWithLockedHash'], 2);
  assert.equal(v1['deviationCount'], 0);
  assert.equal(v1['testSetSequestration'].sequestered, true);
  assert.deepEqual(v1['testSetSequestration'].trainingFeatureSets.map((f: { partition: string }) => f.partition), ['train', 'train', 'train']);
});

test('reproducibility.json re-computes feature sets and re-runs decisions, and says why when it cannot', async () => {
  const doc = JSON.parse(read(bundle, DOSSIER_FILES.reproducibility)) as { results: Array<{ kind: string; id: string; status: string; reason?: string; differences?: Array<{ field: string }>; compared?: number; settingsSource?: string; assumptions?: string[] }> };
  const by = (id: string) => doc.results.find((r) => r.id === id)!;
  // FS-1 records the exact extractor configuration: re-computed with it, nothing assumed.
  assert.equal(by('FS-1').status, 'MATCH', JSON.stringify(by('FS-1')));
  assert.equal(by('FS-1').settingsSource, 'extractorSettings');
  assert.equal(by('FS-1').assumptions, undefined);
  assert.ok(by('FS-1').compared! > 100, 'every recorded feature is compared');
  // Without its extractorSettings (GLCM distance 2 is not in the summary) FS-1 would not be repeated.
  const fs1 = events(bundle).find((e) => e.event.type === 'FeaturesComputed' && e.event.data['featureSetId'] === 'FS-1')!.event.data as unknown as FeaturesComputed['data'];
  assert.equal((fs1.extractorSettings as { texture: { glcmDistance: number } }).texture.glcmDistance, 2);
  const fromSummary = await fx.reproducibility.features!.recompute({ ...fs1, extractorSettings: null });
  assert.equal(fromSummary.settingsSource, 'summary');
  assert.ok(Object.keys(fs1.features).some((code) => fromSummary.features[code] !== undefined && Math.abs(fromSummary.features[code]! - fs1.features[code]!) > 1e-6), 'the summary alone gives other GLCM values');
  // FS-4 (same inputs, an older event with the IBSI summary only): the defaults fill the rest, and say so.
  assert.equal(by('FS-4').status, 'MATCH', JSON.stringify(by('FS-4')));
  assert.equal(by('FS-4').settingsSource, 'summary');
  assert.ok(by('FS-4').assumptions!.some((a) => /not recorded in FeaturesComputed.*sliceMode 3D/.test(a)), JSON.stringify(by('FS-4').assumptions));
  assert.equal(by('FS-2').status, 'NOT_REPRODUCIBLE');
  assert.match(by('FS-2').reason!, /imported/);
  assert.equal(by('FS-3').status, 'NOT_REPRODUCIBLE');
  assert.match(by('FS-3').reason!, /not in the artifact store/);
  assert.equal(by('DEC-1').status, 'MATCH', JSON.stringify(by('DEC-1')));
  assert.equal(by('DEC-3').status, 'MATCH', JSON.stringify(by('DEC-3')));
  assert.equal(by('DEC-2').status, 'DIFFERENT');
  assert.ok(by('DEC-2').differences!.some((d) => d.field === 'probability'));
});

test('checklists.json fills items from the ledger with their source events and lists the rest for people', () => {
  const doc = JSON.parse(read(bundle, DOSSIER_FILES.checklists)) as {
    items: Array<{ guideline: string; item: string; status: string; sourceEventIds?: string[]; value?: unknown; score?: { points: number | null; min: number; max: number } }>;
    rqs: { ledgerScore: number; possibleRange: [number, number]; maximum: number };
  };
  const ids = new Set(events(bundle).map((e) => e.event.eventId));
  for (const g of ['TRIPOD+AI', 'CLAIM 2024', 'METRICS', 'CLEAR', 'RQS', 'PROBAST+AI']) {
    assert.ok(doc.items.some((i) => i.guideline === g && i.status === 'filled-from-ledger'), `${g} has filled items`);
    assert.ok(doc.items.some((i) => i.guideline === g && i.status === 'for-people'), `${g} has items for people`);
  }
  for (const i of doc.items.filter((x) => x.status === 'filled-from-ledger')) for (const id of i.sourceEventIds!) assert.ok(ids.has(id), `${i.item} cites ${id}, which is in the bundle`);
  const software = doc.items.find((i) => i.guideline === 'CLEAR' && i.item === 'software')!;
  assert.ok((software.value as string[]).includes('ITK-SNAP 4.0'));
  // Every segmentation tool actually used, the manual edit tool included (issue 15).
  for (const [g, item] of [['CLAIM 2024', 'annotation-method'], ['METRICS', 'segmentation'], ['CLEAR', 'segmentation']] as const) {
    const tools = (doc.items.find((i) => i.guideline === g && i.item === item)!.value as { tools: string[] }).tools;
    assert.deepEqual(tools, ['ITK-SNAP 4.0', 'manual-contour-editor 2.4', 'nnU-Net 2.3'], `${g} ${item}`);
  }
  const adherence = doc.items.find((i) => i.item === 'protocol-adherence')!;
  assert.deepEqual((adherence.value as { deviations: Array<{ imageId: string }> }).deviations.map((d) => d.imageId), ['IMG-2', 'IMG-4']);
  // RQS (Lambin et al. 2017), scored from this fixture by the table: protocol documented 1, feature reduction
  // (6–7 model inputs of the full extraction) 3, locked cut-off 1, AUC with CI 2, test partition only at a
  // development site (SITE-B) 2 = 9; people can add up to 24 more (public protocol 1 and the 11 items for them).
  const rqs = doc.items.filter((i) => i.guideline === 'RQS');
  assert.equal(rqs.length, 16);
  assert.equal(rqs.reduce((n, i) => n + i.score!.max, 0), 36);
  assert.equal(rqs.reduce((n, i) => n + i.score!.min, 0), -8);
  assert.deepEqual(Object.fromEntries(rqs.filter((i) => i.score!.points !== null).map((i) => [i.item.slice(0, 6), i.score!.points])), { 'rqs-01': 1, 'rqs-05': 3, 'rqs-08': 1, 'rqs-09': 2, 'rqs-12': 2 });
  assert.deepEqual([doc.rqs.ledgerScore, ...doc.rqs.possibleRange, doc.rqs.maximum], [9, 9, 33, 36]);
  const probast = doc.items.filter((i) => i.guideline === 'PROBAST+AI');
  assert.ok(probast.find((i) => i.item === 'analysis-data-leakage')!.status === 'filled-from-ledger');
});

test('tampering: one byte in events.ndjson fails the file hash and that event’s hash, so also its proof, the next event’s link and the lineage it names', async () => {
  const dir = copy('tamper-byte');
  const text = read(dir, DOSSIER_FILES.events);
  const at = text.indexOf('GLIO01-A-0001');
  writeFileSync(join(dir, DOSSIER_FILES.events), `${text.slice(0, at)}X${text.slice(at + 1)}`);
  const v = await verifyDossier(dir, { pinnedPublicKey: vkey() });
  assert.equal(v.ok, false);
  const s = statusOf(v);
  assert.deepEqual(v.checks.filter((c) => c.status === 'FAIL').map((c) => c.check), ['file-hashes', 'event-hashes', 'inclusion-proofs', 'chain-links', 'lineage-complete']);
  assert.match(v.checks.find((c) => c.check === 'event-hashes')!.failures![0]!, /the text hashes to/);
});

/** Writes `bytes` as events.ndjson into `dir` with a manifest and manifest.sig re-made by the real key: only the event checks can catch the change. */
function withResignedManifest(dir: string, bytes: Buffer): void {
  writeFileSync(join(dir, DOSSIER_FILES.events), bytes);
  const m = JSON.parse(read(bundle, DOSSIER_FILES.manifest)) as DossierManifest;
  const f = m.files.find((x) => x.name === DOSSIER_FILES.events)!;
  f.sha256 = createHash('sha256').update(bytes).digest('hex');
  f.bytes = bytes.length;
  const text = `${JSON.stringify(m, null, 2)}\n`;
  writeFileSync(join(dir, DOSSIER_FILES.manifest), text);
  const sha = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(dir, DOSSIER_FILES.manifestSignature), signCheckpoint({ origin: `${m.checkpoint.origin}/dossier-manifest`, treeSize: 1, rootHash: sha, issuedAt: m.createdAt }, fx.signer));
}

const deepChecks: DossierCheckName[] = ['event-hashes', 'inclusion-proofs', 'chain-links', 'lineage-complete', 'event-count'];

test('property: any one-byte change to events.ndjson is caught by the event checks themselves, even with a manifest re-signed by the real key', async () => {
  const original = readFileSync(join(bundle, DOSSIER_FILES.events));
  const dir = copy('tamper-property');
  // Uniform offsets rarely land on a line end, where JSON.parse is lenient (a last newline
  // turned into CR, tab or space once passed): line ends turned into other JSON whitespace are
  // drawn on purpose as well.
  const lineEnds: number[] = [];
  original.forEach((b, i) => {
    if (b === 0x0a) lineEnds.push(i);
  });
  const anyByte = fc.record({ offset: fc.nat({ max: original.length - 1 }), xor: fc.integer({ min: 1, max: 255 }) });
  const lineEnd = fc.record({ offset: fc.constantFrom(...lineEnds), xor: fc.constantFrom(0x0a ^ 0x0d, 0x0a ^ 0x09, 0x0a ^ 0x20) });
  await fc.assert(
    fc.asyncProperty(fc.oneof(anyByte, lineEnd), async ({ offset, xor }) => {
      const bytes = Buffer.from(original);
      bytes[offset]! ^= xor;
      withResignedManifest(dir, bytes);
      const v = await verifyDossier(dir, { pinnedPublicKey: vkey() });
      assert.equal(v.ok, false);
      assert.ok(v.checks.some((c) => deepChecks.includes(c.check) && c.status === 'FAIL'), `byte ${offset} ^ ${xor}: ${JSON.stringify(v.checks.filter((c) => c.status === 'FAIL'))}`);
    }),
    { numRuns: 300 },
  );
});

test('tampering: the line format carries nothing unchecked (whitespace, line ends, key order, escapes, extra keys, invalid UTF-8)', async () => {
  const original = read(bundle, DOSSIER_FILES.events);
  const dir = copy('tamper-line-format');
  const first = original.slice(0, original.indexOf('\n'));
  const rest = original.slice(first.length);
  const parsed = JSON.parse(first) as DossierEventLine;
  const variants: Record<string, Buffer> = {
    // The CI counterexample [46377, 7]: the last newline became a carriage return.
    'last newline -> CR': Buffer.from(`${original.slice(0, -1)}\r`),
    'last newline -> space': Buffer.from(`${original.slice(0, -1)} `),
    'no last newline': Buffer.from(original.slice(0, -1)),
    'CRLF line ends': Buffer.from(original.replace(/\n/g, '\r\n')),
    'blank line between events': Buffer.from(`${first}\n${rest}`),
    'leading space': Buffer.from(` ${original}`),
    'keys reordered': Buffer.from(`${JSON.stringify({ canonical: parsed.canonical, leafIndex: parsed.leafIndex, hash: parsed.hash, proof: parsed.proof })}${rest}`),
    'extra key': Buffer.from(`${first.slice(0, -1)},"note":"trust me"}${rest}`),
    'duplicate key': Buffer.from(`${first.slice(0, -1)},"leafIndex":${parsed.leafIndex}}${rest}`),
    'escaped character': Buffer.from(`${first.replace('"hash":"', '"hash":"\\u00')}${rest}`.replace(`"hash":"\\u00${parsed.hash}`, `"hash":"\\u00${parsed.hash.charCodeAt(0).toString(16)}${parsed.hash.slice(1)}`)),
    'invalid UTF-8': Buffer.concat([Buffer.from(first.slice(0, -2)), Buffer.from([0xff]), Buffer.from(first.slice(-1)), Buffer.from(rest)]),
  };
  for (const [name, bytes] of Object.entries(variants)) {
    assert.notDeepEqual(bytes, Buffer.from(original), name);
    withResignedManifest(dir, bytes);
    const v = await verifyDossier(dir, { pinnedPublicKey: vkey() });
    assert.equal(statusOf(v)['event-hashes'], 'FAIL', `${name}: ${JSON.stringify(v.checks)}`);
    assert.equal(statusOf(v)['manifest-signature'], 'PASS', name);
    assert.equal(statusOf(v)['file-hashes'], 'PASS', name);
  }
});

test('tampering: a removed event fails the file hash, the lineage and the counts; re-hashing the manifest then fails its signature', async () => {
  const dir = copy('tamper-removed');
  const kept = lines(dir).filter((l) => {
    const e = JSON.parse((JSON.parse(l) as DossierEventLine).canonical) as { type: string; data: { imageId?: string } };
    return !(e.type === 'ImageAcquired' && e.data.imageId === 'IMG-1');
  });
  assert.equal(kept.length, lines(dir).length - 1);
  writeFileSync(join(dir, DOSSIER_FILES.events), `${kept.join('\n')}\n`);
  let s = statusOf(await verifyDossier(dir, { pinnedPublicKey: vkey() }));
  assert.equal(s['file-hashes'], 'FAIL');
  assert.equal(s['lineage-complete'], 'FAIL');
  assert.equal(s['event-count'], 'FAIL');
  assert.equal(s['inclusion-proofs'], 'PASS');
  // The forger fixes the manifest's hash and counts: its signature no longer matches.
  const m = JSON.parse(read(dir, DOSSIER_FILES.manifest)) as DossierManifest;
  const f = m.files.find((x) => x.name === DOSSIER_FILES.events)!;
  f.sha256 = createHash('sha256').update(readFileSync(join(dir, DOSSIER_FILES.events))).digest('hex');
  f.bytes = readFileSync(join(dir, DOSSIER_FILES.events)).length;
  m.counts.events -= 1;
  m.counts.byType['ImageAcquired']! -= 1;
  writeFileSync(join(dir, DOSSIER_FILES.manifest), `${JSON.stringify(m, null, 2)}\n`);
  s = statusOf(await verifyDossier(dir, { pinnedPublicKey: vkey() }));
  assert.equal(s['manifest-signature'], 'FAIL');
  assert.equal(s['file-hashes'], 'PASS');
  assert.equal(s['event-count'], 'PASS');
  assert.equal(s['lineage-complete'], 'FAIL');
});

test('tampering: swapped proofs fail the inclusion check', async () => {
  const dir = copy('tamper-proof');
  const ls = lines(dir).map((l) => JSON.parse(l) as DossierEventLine);
  const [a, b] = [ls[3]!, ls[4]!];
  [a.proof, b.proof] = [b.proof, a.proof];
  writeFileSync(join(dir, DOSSIER_FILES.events), `${ls.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const v = await verifyDossier(dir, { pinnedPublicKey: vkey() });
  const s = statusOf(v);
  assert.equal(s['inclusion-proofs'], 'FAIL');
  assert.equal(v.checks.find((c) => c.check === 'inclusion-proofs')!.detail, '2 inclusion proofs fail');
  assert.equal(s['event-hashes'], 'PASS');
});

test('tampering: a bundle re-signed with another key passes only if that key is trusted; the pinned key catches it', async () => {
  const dir = copy('tamper-key');
  const forger = generateCheckpointSigner('radledger-test');
  const m = JSON.parse(read(dir, DOSSIER_FILES.manifest)) as DossierManifest;
  m.checkpoint.note = signCheckpoint({ origin: m.checkpoint.origin, treeSize: m.checkpoint.treeSize, rootHash: m.checkpoint.rootHash, issuedAt: m.checkpoint.issuedAt }, forger);
  m.publicKey = encodeVerifierKey(forger);
  const text = `${JSON.stringify(m, null, 2)}\n`;
  writeFileSync(join(dir, DOSSIER_FILES.manifest), text);
  const sha = createHash('sha256').update(text).digest('hex');
  writeFileSync(join(dir, DOSSIER_FILES.manifestSignature), signCheckpoint({ origin: `${m.checkpoint.origin}/dossier-manifest`, treeSize: 1, rootHash: sha, issuedAt: m.createdAt }, forger));
  const pinned = statusOf(await verifyDossier(dir, { pinnedPublicKey: vkey() }));
  assert.equal(pinned['public-key'], 'FAIL');
  assert.equal(pinned['checkpoint-signature'], 'FAIL');
  assert.equal(pinned['manifest-signature'], 'FAIL');
  const unpinned = await verifyDossier(dir);
  assert.equal(statusOf(unpinned)['public-key'], 'WARN', 'without a pinned key the forger’s key is all there is: the verdict says so');
});

test('tampering: a changed report.html fails the file hash only', async () => {
  const dir = copy('tamper-report');
  writeFileSync(join(dir, DOSSIER_FILES.report), read(dir, DOSSIER_FILES.report).replace('IDH-wildtype', 'IDH-mutant'));
  const v = await verifyDossier(dir, { pinnedPublicKey: vkey() });
  const failed = v.checks.filter((c) => c.status === 'FAIL').map((c) => c.check);
  assert.deepEqual(failed, ['file-hashes']);
  assert.match(v.checks.find((c) => c.check === 'file-hashes')!.failures![0]!, /^report\.html: sha256/);
});

test('a zip bundle verifies from its bytes; a flipped byte inside it is caught', async () => {
  const zipPath = join(out, 'dossier.zip');
  await exportDossier({ store: fx.store, signer: fx.signer, radledgerVersion: version }, { trialId: fx.trialId, out: zipPath });
  const bytes = readFileSync(zipPath);
  assert.equal((await verifyDossier(bytes, { pinnedPublicKey: vkey() })).ok, true);
  assert.equal((await verifyDossier(zipPath, { pinnedPublicKey: vkey() })).ok, true);
  const damaged = Buffer.from(bytes);
  damaged[Math.floor(damaged.length / 3)]! ^= 0x01;
  const verdict = await verifyDossier(damaged, { pinnedPublicKey: vkey() }).then(
    (v) => v.ok,
    (e: unknown) => (e instanceof DossierError && e.code === 'DOSSIER_BUNDLE_UNREADABLE' ? false : Promise.reject(e)),
  );
  assert.equal(verdict, false);
  // The same damage read from disk (streamed unzip into a scratch directory).
  const damagedPath = join(out, 'damaged.zip');
  writeFileSync(damagedPath, damaged);
  const fromDisk = await verifyDossier(damagedPath, { pinnedPublicKey: vkey() }).then(
    (v) => v.ok,
    (e: unknown) => (e instanceof DossierError && e.code === 'DOSSIER_BUNDLE_UNREADABLE' ? false : Promise.reject(e)),
  );
  assert.equal(fromDisk, false);
});

test('a zip whose entries point outside the bundle is refused before anything is written', async () => {
  const evil = join(out, 'evil.zip');
  writeFileSync(evil, zipSync({ 'manifest.json': strToU8('{}'), '../escaped.txt': strToU8('x') }));
  await assert.rejects(verifyDossier(evil), (e: unknown) => e instanceof DossierError && e.code === 'DOSSIER_BUNDLE_UNREADABLE' && /outside the bundle/.test(e.message));
  assert.equal(existsSync(join(tmpdir(), 'escaped.txt')), false);
});
