import { createHash } from 'node:crypto';
import {
  ChainVerifier,
  HASH_SIZE,
  LedgerVerificationError,
  encodeVerifierKey,
  recordedFromCanonical,
  signCheckpoint,
  verifySignedCheckpoint,
  type CheckpointSigner,
  type CheckpointVerifier,
  type LedgerStore,
} from '@radledger/ledger';
import { upcast } from '@radledger/domain';
import { latestCosignedCheckpoint, type CosignatureRecord, type TimestampRecord, type WitnessPolicy } from '@radledger/witness';
import type { BundleSink } from './bundle-sink.port.js';
import { ChecklistCollector, type ChecklistDocument } from './checklists.collector.js';
import { DossierError } from './dossier.errors.js';
import { DOSSIER_FILES, MANIFEST_ORIGIN_SUFFIX, type DossierEventLine, type DossierManifest } from './dossier-manifest.js';
import { HashingWriter } from './hashing-writer.js';
import { emptyScanIndex, modelVersionMatcher, scanEvent, selectLineage, type DossierScope, type LedgerScanIndex } from './lineage-selection.js';
import { MerkleLevels } from './merkle-levels.js';
import { ModelLockCollector } from './model-lock.collector.js';
import { eventGraph, ProvJsonLdStream, ProvJsonStream } from './prov-streaming.js';
import { ProvMapper } from './prov-statements.js';
import { LineageGraphCollector } from './report/lineage-graph.collector.js';
import { ReportCollector } from './report/report.collector.js';
import { renderReport } from './report/report-html.js';
import { ReproducibilityCollector, type ReproducibilityPorts } from './reproducibility.js';

export interface DossierExportDeps {
  /** The ledger (libs/ledger `openEventStore`). */
  store: LedgerStore;
  /** Checkpoint key (libs/ledger `loadSigningKey(path).signer`): signs the checkpoint (if a new one is needed) and manifest.sig. */
  signer: CheckpointSigner & CheckpointVerifier;
  /** RadLedger version written to the manifest (the root package.json version). */
  radledgerVersion: string;
  /** Checkpoint origin line (default `radledger`, as LedgerService). */
  origin?: string;
  /** Artifact store, feature extractor and model runner for reproducibility.json; without them every item is NOT_REPRODUCIBLE with that reason. */
  reproducibility?: ReproducibilityPorts;
  now?: () => Date;
  /** Check that every stored event text is RFC 8785 while scanning (default true; see VerifyChainOptions.checkCanonical). */
  checkCanonical?: boolean;
  /**
   * Opens sealed free text (ADR 0007) for the human-readable report only: events.ndjson keeps
   * the stored ciphertext, which is what the hashes and proofs cover. Without it, or for a
   * destroyed key, the report shows what the reader returns (e.g. `[redacted]`).
   */
  revealForReport?: <T>(value: T) => Promise<T>;
  /**
   * Witnessing (libs/witness): the stored cosignatures and, optionally, the policy. The
   * export then uses the newest stored checkpoint that covers every included event and has
   * cosignatures (meeting the policy's quorum, if one is given), carries its cosigned note,
   * and records the policy text in the manifest.
   */
  witnessing?: { cosignatures: () => Promise<CosignatureRecord[]>; policy?: WitnessPolicy; timestamps?: () => Promise<TimestampRecord[]> };
}

export interface DossierProgress {
  phase: 'scan' | 'select' | 'events' | 'reproducibility' | 'files';
  done: number;
  total: number;
}

export interface DossierExportOptions extends DossierScope {
  /** `reuse-or-issue` (default): reuse the latest stored checkpoint when it covers every included event and verifies with the key; else sign a new one. */
  checkpoint?: 'reuse-or-issue' | 'issue';
  onProgress?: (progress: DossierProgress) => void;
}

export interface DossierExportResult {
  location: string;
  manifest: DossierManifest;
  /** checklists.json as written: every reporting-guideline item with its evidence or why it is left for people. */
  checklists: ChecklistDocument;
}

const PAGE = 2000;

/**
 * Assembles a dossier into `sink`, in bounded memory whatever the ledger size:
 *  1. one streaming pass over the ledger verifies it (hashes, canonical text, positions,
 *     chain links: a damaged ledger is never exported under a signature), keeps the 32-byte
 *     leaf hashes and notes the selected decisions and which events are signed;
 *  2. the lineage walk (lineage-selection.ts) marks the included positions in a bitmap;
 *  3. a checkpoint covering them is reused or signed and recorded;
 *  4. the included events are read again in ledger order and streamed to events.ndjson
 *     with their inclusion proofs (from the Merkle levels over the leaf hashes), to the two
 *     PROV files, and to collectors that keep only summaries (capped tables, counts);
 *  5. the derived documents, manifest.json and manifest.sig are written.
 */
export async function assembleDossier(deps: DossierExportDeps, sink: BundleSink, options: DossierExportOptions): Promise<DossierExportResult> {
  const now = deps.now ?? (() => new Date());
  const origin = deps.origin ?? 'radledger';
  const progress = options.onProgress ?? (() => undefined);
  const scope: DossierScope = { trialId: options.trialId, modelVersion: options.modelVersion, includeTrainingLineage: options.includeTrainingLineage ?? true };
  const { store, signer } = deps;

  // 1. Scan.
  const size = (await store.head()).size;
  if (size === 0) throw new DossierError('DOSSIER_EMPTY', 'the ledger is empty: there is nothing to export');
  const leaves = Buffer.allocUnsafe(size * HASH_SIZE);
  const index: LedgerScanIndex = emptyScanIndex();
  const matches = modelVersionMatcher(scope.modelVersion);
  const chain = new ChainVerifier({ checkCanonical: deps.checkCanonical ?? true });
  try {
    for (let from = 0; from < size; ) {
      const rows = await store.readStoredRows(from, Math.min(PAGE * 5, size - from));
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.globalPosition >= size) break;
        chain.push(row);
        leaves.write(row.hash, row.globalPosition * HASH_SIZE, 'hex');
        scanEvent(row.canonical, scope, index, matches);
      }
      from = rows[rows.length - 1]!.globalPosition + 1;
      progress({ phase: 'scan', done: Math.min(from, size), total: size });
    }
  } catch (error) {
    if (error instanceof LedgerVerificationError) {
      throw new DossierError('DOSSIER_LEDGER_INVALID', `the ledger does not verify, refusing to export it: ${error.message}`, { position: error.position, kind: error.kind });
    }
    throw error;
  }
  if (chain.size !== size) throw new DossierError('DOSSIER_LEDGER_INVALID', `the ledger head says ${size} events but ${chain.size} were read`);
  if (index.decisionStreams.length === 0 && index.lockedVersions.length === 0) {
    throw new DossierError('DOSSIER_EMPTY', `trial ${scope.trialId} has no decisions and no locked model version${scope.modelVersion ? ` matching ${scope.modelVersion}` : ''} in the ledger`, { trialId: scope.trialId, modelVersion: scope.modelVersion });
  }

  // 2. Lineage.
  progress({ phase: 'select', done: 0, total: index.decisionStreams.length });
  const selection = await selectLineage(store, scope, index, size);
  progress({ phase: 'select', done: index.decisionStreams.length, total: index.decisionStreams.length });

  // 3. Checkpoint.
  let treeSize = size;
  let note: string | undefined;
  let reused = false;
  const latest = await store.latestCheckpoint();
  const cosigned = deps.witnessing && (options.checkpoint ?? 'reuse-or-issue') === 'reuse-or-issue'
    ? latestCosignedCheckpoint((await store.listCheckpoints()).filter((c) => c.treeSize <= size && signedBy(c.note, signer)), await deps.witnessing.cosignatures(), deps.witnessing.policy, { minTreeSize: selection.positions.max + 1 })
    : undefined;
  if (cosigned) {
    treeSize = cosigned.treeSize;
    note = cosigned.note;
    reused = true;
  } else if ((options.checkpoint ?? 'reuse-or-issue') === 'reuse-or-issue' && latest && latest.treeSize > selection.positions.max && latest.treeSize <= size) {
    try {
      verifySignedCheckpoint(latest.note, signer);
      treeSize = latest.treeSize;
      note = latest.note;
      reused = true;
    } catch {
      // Signed by another key (e.g. before a key rotation): sign a new one with ours.
    }
  }
  const levels = new MerkleLevels(leaves, treeSize);
  const rootHash = levels.rootHex();
  if (note === undefined) {
    const checkpoint = { origin, treeSize, rootHash, issuedAt: now().toISOString() };
    note = signCheckpoint(checkpoint, signer);
    await store.addCheckpoint({ treeSize, rootHash, issuedAt: checkpoint.issuedAt, note });
  }
  const checkpoint = verifySignedCheckpoint(note, signer);
  if (checkpoint.rootHash !== rootHash) {
    throw new DossierError('DOSSIER_CHECKPOINT_INVALID', `the stored checkpoint for size ${treeSize} signs root ${checkpoint.rootHash}, but the ledger's root at that size is ${rootHash}`);
  }
  // The TSA's token over this checkpoint, if the checkpointer obtained one (the newest).
  const stamp = (await deps.witnessing?.timestamps?.())?.filter((t) => t.treeSize === checkpoint.treeSize && t.rootHash === checkpoint.rootHash).at(-1);

  // 4. Events, PROV and collectors.
  const files: DossierManifest['files'] = [];
  const close = async (name: string, w: HashingWriter) => files.push({ name, ...(await w.close()) });
  const events = new HashingWriter(sink.open(DOSSIER_FILES.events));
  const jsonLd = new ProvJsonLdStream(new HashingWriter(sink.open(DOSSIER_FILES.provJsonLd)));
  const parts = new Map<string, HashingWriter>();
  const partName = (section: string) => `.prov-json.${section}.part`;
  const provJson = new ProvJsonStream((section) => {
    let w = parts.get(section);
    if (!w) parts.set(section, (w = new HashingWriter(sink.open(partName(section)))));
    return w;
  });
  const mapper = new ProvMapper();
  const graph = new LineageGraphCollector();
  const report = new ReportCollector();
  const modelLock = new ModelLockCollector();
  const checklists = new ChecklistCollector();
  const repro = new ReproducibilityCollector(deps.reproducibility ?? {});
  await jsonLd.begin(`urn:radledger:dossier:${encodeURIComponent(scope.trialId)}${scope.modelVersion ? `:${encodeURIComponent(scope.modelVersion)}` : ''}`);

  let written = 0;
  const total = selection.positions.count;
  progress({ phase: 'events', done: 0, total });
  progress({ phase: 'events', done: 0, total });
  const emit = async (canonical: string, hash: string, position: number) => {
    const line: DossierEventLine = { leafIndex: position, hash, proof: levels.inclusionProofHex(position), canonical };
    await events.write(`${JSON.stringify(line)}\n`);
    const event = upcast(recordedFromCanonical(canonical, hash));
    const statements = mapper.map(event);
    const fragment = eventGraph(event, statements);
    await jsonLd.add(fragment);
    await provJson.add(fragment);
    for (const st of statements) graph.add(st);
    report.add(deps.revealForReport ? { ...event, data: await deps.revealForReport(event.data), meta: await deps.revealForReport(event.meta) } : event);
    modelLock.add(event);
    checklists.add(event);
    repro.add(event);
    if (++written % 10000 === 0) progress({ phase: 'events', done: written, total });
  };
  for (const run of readRuns(selection.positions)) {
    let expected = run.positions.length > 0 ? 0 : -1;
    for (let from = run.start; from <= run.end; ) {
      const rows = await store.readStoredRows(from, Math.min(PAGE * 5, run.end - from + 1));
      if (rows.length === 0) break;
      for (const row of rows) {
        if (expected >= run.positions.length) break;
        if (row.globalPosition === run.positions[expected]) {
          await emit(row.canonical, row.hash, row.globalPosition);
          expected++;
        }
      }
      from = rows[rows.length - 1]!.globalPosition + 1;
    }
    if (expected !== run.positions.length) throw new DossierError('DOSSIER_LEDGER_INVALID', `event at position ${run.positions[expected]} could not be read back from the ledger`);
  }
  progress({ phase: 'events', done: written, total });
  await close(DOSSIER_FILES.events, events);
  await jsonLd.end();
  await close(DOSSIER_FILES.provJsonLd, jsonLd.out);

  // PROV-JSON: join the sections.
  const provOut = new HashingWriter(sink.open(DOSSIER_FILES.provJson));
  await provOut.write(provJson.header());
  for (const section of provJson.sections()) {
    const part = parts.get(section)!;
    await part.close();
    await provOut.write(`,\n${JSON.stringify(section)}:{\n`);
    for await (const chunk of sink.read(partName(section))) await provOut.writeBytes(chunk);
    await provOut.write('}');
    await sink.remove(partName(section));
  }
  await provOut.write('}\n');
  await close(DOSSIER_FILES.provJson, provOut);

  // 5. Derived documents.
  const reproOut = new HashingWriter(sink.open(DOSSIER_FILES.reproducibility));
  const pending = repro.pending;
  const reproCounts = await repro.write(reproOut, (done) => progress({ phase: 'reproducibility', done, total: pending }));
  await close(DOSSIER_FILES.reproducibility, reproOut);

  const lockDoc = modelLock.document();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- report cells straight from model-lock.json's loosely typed document.
  const versions = lockDoc['modelVersions'] as Array<Record<string, any>>;
  const findings: string[] = [];
  for (const v of versions) {
    const testedVsReleased = v['testedVsReleased'] as Array<{ trialId: string; identical: boolean; findings: string[] }>;
    const sequestration = v['testSetSequestration'] as { sequestered: boolean; findings: string[] };
    report.modelVersions.push([
      v['modelId'],
      v['version'],
      v['sha256'],
      (v['locks'] as Array<{ trialId: string }>).map((l) => l.trialId).join(', ') || 'not locked',
      testedVsReleased.map((t) => t.findings.join('; ') || 'validated bytes = released bytes').join(' | ') || 'no lock',
      testedVsReleased.every((t) => t.identical),
      Object.values(v['decisionsBySite'] as Record<string, Record<string, number>>).reduce((n, bySha) => n + Object.values(bySha).reduce((a, b) => a + b, 0), 0),
      v['deviationCount'],
      sequestration.sequestered,
      (v['changeControlPlans'] as unknown[]).length,
    ]);
    for (const lock of v['locks'] as Array<{ eventId: string; trialId: string; planId: string | null; gates: Array<{ gate: string; code: string; passed: boolean; detail: string }> }>) {
      // A lock no plan gated says so (ADR 0017): a reviewer sees the difference from a lock that met its gates.
      if (lock.gates.length === 0) report.lockGates.push([v['modelId'], v['version'], lock.trialId, lock.planId ?? 'none', 'none', null, null, 'no change-control plan set lock gates for this lock', lock.eventId]);
      for (const g of lock.gates) report.lockGates.push([v['modelId'], v['version'], lock.trialId, lock.planId, g.gate, g.code, g.passed, g.detail, lock.eventId]);
    }
    for (const t of testedVsReleased) for (const f of t.findings) findings.push(`${v['modelId']} ${v['version']} (${t.trialId}): ${f}`);
    for (const f of sequestration.findings) findings.push(`${v['modelId']} ${v['version']}: ${f}`);
    if (v['deviationCount'] > 0) findings.push(`${v['modelId']} ${v['version']}: ${v['deviationCount']} decisions not made with the locked version/hash`);
  }
  await writeWhole(sink, files, DOSSIER_FILES.modelLock, `${JSON.stringify(lockDoc, null, 2)}\n`);
  const checklistDoc = checklists.document();
  await writeWhole(sink, files, DOSSIER_FILES.checklists, `${JSON.stringify(checklistDoc, null, 2)}\n`);

  report.finish();
  const byType = Object.fromEntries([...report.counts].sort((a, b) => a[0].localeCompare(b[0])));
  const counts: DossierManifest['counts'] = {
    events: written,
    decisions: report.counts.get('ModelDecisionMade') ?? 0,
    featureSets: report.counts.get('FeaturesComputed') ?? 0,
    modelVersions: report.counts.get('ModelRegistered') ?? 0,
    images: report.counts.get('ImageAcquired') ?? 0,
    signatures: report.counts.get('RecordSigned') ?? 0,
    byType,
  };
  const createdAt = now().toISOString();
  const publicKey = encodeVerifierKey(signer);
  const html = renderReport(
    {
      title: `RadLedger regulatory dossier: trial ${scope.trialId}${scope.modelVersion ? `, model version ${scope.modelVersion}` : ''}`,
      scope: { trialId: scope.trialId, modelVersion: scope.modelVersion ?? null },
      createdAt,
      radledgerVersion: deps.radledgerVersion,
      checkpoint,
      publicKey,
      eventCount: written,
      reproducibility: reproCounts,
      modelFindings: findings,
      checklist: {
        filled: checklistDoc.items.filter((i) => i.status === 'filled-from-ledger').length,
        forPeople: checklistDoc.items.filter((i) => i.status === 'for-people').length,
        items: checklistDoc.items,
        rqs: checklistDoc.rqs,
      },
    },
    report,
    graph.graph(),
  );
  await writeWhole(sink, files, DOSSIER_FILES.report, html);

  const manifest: DossierManifest = {
    kind: 'radledger.dossier.v1',
    radledgerVersion: deps.radledgerVersion,
    createdAt,
    scope: { trialId: scope.trialId, modelVersion: scope.modelVersion ?? null, includeTrainingLineage: scope.includeTrainingLineage ?? true },
    ledger: { origin, sizeAtExport: size },
    checkpoint: { note, origin: checkpoint.origin, treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, issuedAt: checkpoint.issuedAt, reused },
    publicKey,
    files: files.sort((a, b) => a.name.localeCompare(b.name)),
    counts,
    ...(deps.witnessing?.policy ? { witnessPolicy: deps.witnessing.policy.text } : {}),
    ...(stamp ? { checkpointTimestamp: { token: stamp.token, nonce: stamp.nonce, tsaUrl: stamp.tsaUrl, receivedAt: stamp.receivedAt } } : {}),
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeWhole(sink, [], DOSSIER_FILES.manifest, manifestText);
  const manifestSha = createHash('sha256').update(manifestText, 'utf8').digest('hex');
  const signature = signCheckpoint({ origin: `${origin}${MANIFEST_ORIGIN_SUFFIX}`, treeSize: 1, rootHash: manifestSha, issuedAt: createdAt }, signer);
  await writeWhole(sink, [], DOSSIER_FILES.manifestSignature, signature);
  progress({ phase: 'files', done: 1, total: 1 });
  const { location } = await sink.finish();
  return { location, manifest, checklists: checklistDoc };
}

async function writeWhole(sink: BundleSink, files: DossierManifest['files'], name: string, text: string): Promise<void> {
  const w = new HashingWriter(sink.open(name));
  await w.write(text);
  files.push({ name, ...(await w.close()) });
}

/**
 * Groups the included positions into runs worth one ranged read each: consecutive-ish
 * positions (gaps under 64) share a read, far-apart ones get their own, so a sparse
 * lineage in a large ledger does not read the ledger end to end.
 */
function* readRuns(positions: Iterable<number>): Generator<{ start: number; end: number; positions: number[] }> {
  let run: number[] = [];
  for (const p of positions) {
    if (run.length > 0 && (p - run[run.length - 1]! > 64 || run.length >= PAGE * 5)) {
      yield { start: run[0]!, end: run[run.length - 1]!, positions: run };
      run = [];
    }
    run.push(p);
  }
  if (run.length > 0) yield { start: run[0]!, end: run[run.length - 1]!, positions: run };
}

function signedBy(note: string, signer: CheckpointVerifier): boolean {
  try {
    verifySignedCheckpoint(note, signer);
    return true;
  } catch {
    return false;
  }
}
