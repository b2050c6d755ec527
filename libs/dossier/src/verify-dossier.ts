import { createHash, hash as oneShotHash } from 'node:crypto';
import {
  GENESIS_PREV_HASH,
  isCanonicalJson,
  leafHashHex,
  parseSignedCheckpoint,
  parseVerifierKey,
  verifyInclusion,
  verifySignedCheckpoint,
  type Checkpoint,
  type CheckpointVerifier,
} from '@radledger/ledger';
import { checkCosignedCheckpoint, parseWitnessPolicy, verifyTimestampToken, type WitnessPolicy } from '@radledger/witness';
import type { BundleReader } from './bundle-sink.port.js';
import { DOSSIER_FILES, MANIFEST_ORIGIN_SUFFIX, type DossierEventLine, type DossierManifest } from './dossier-manifest.js';
import { eventReferences } from './lineage-references.js';
import { DossierError } from './dossier.errors.js';

export type DossierCheckName =
  | 'manifest'
  | 'public-key'
  | 'manifest-signature'
  | 'file-hashes'
  | 'checkpoint-signature'
  | 'witness-quorum'
  | 'checkpoint-timestamp'
  | 'event-hashes'
  | 'inclusion-proofs'
  | 'chain-links'
  | 'lineage-complete'
  | 'event-count';

export interface DossierCheck {
  check: DossierCheckName;
  /** WARN does not fail the bundle (e.g. no pinned key: the signature is checked with the key the bundle carries). */
  status: 'PASS' | 'FAIL' | 'WARN';
  detail: string;
  /** The first problems found (at most MAX_FAILURES_LISTED). */
  failures?: string[];
}

export interface DossierVerification {
  ok: boolean;
  checks: DossierCheck[];
}

export interface VerifyDossierOptions {
  /** The ledger's published checkpoint key (`<name>+<key id>+<base64>`), pinned by the auditor. */
  pinnedPublicKey?: string | CheckpointVerifier;
  /**
   * The auditor's witness policy (C2SP tlog-policy text or parsed): the checkpoint must carry
   * a quorum of valid cosignatures. Without it, a policy the bundle carries is applied but
   * only WARNs when met (it is the exporter's word); with neither, the check is not listed.
   */
  policy?: string | WitnessPolicy;
  /**
   * The pinned root certificate (PEM or DER) of the TSA the ledger uses: the RFC 3161 token the
   * bundle carries must then verify over the checkpoint (imprint, nonce, CMS signature, the
   * timeStamping EKU, the chain to this root), and a bundle without one fails. Without it, a
   * carried token only WARNs that it was not checked.
   */
  tsaRoot?: string | Uint8Array;
}

const MAX_FAILURES_LISTED = 20;
const CHECK_ORDER: DossierCheckName[] = ['manifest', 'public-key', 'manifest-signature', 'file-hashes', 'checkpoint-signature', 'witness-quorum', 'checkpoint-timestamp', 'event-hashes', 'inclusion-proofs', 'chain-links', 'lineage-complete', 'event-count'];

class Tally {
  failures: string[] = [];
  failed = 0;
  passed = 0;
  fail(message: string): void {
    this.failed++;
    if (this.failures.length < MAX_FAILURES_LISTED) this.failures.push(message);
  }
  result(check: DossierCheckName, ok: string, what: string): DossierCheck {
    return this.failed === 0
      ? { check, status: 'PASS', detail: ok }
      : { check, status: 'FAIL', detail: `${this.failed} ${what}`, failures: this.failures };
  }
}

/** The stream is not UTF-8: thrown by `linesOf` for the chunk holding the first bad byte. */
export class InvalidUtf8Error extends DossierError {
  constructor(readonly chunkOffset: number) {
    super('DOSSIER_BUNDLE_UNREADABLE', `invalid UTF-8 in the chunk starting at byte ${chunkOffset}`, { chunkOffset });
  }
}

/** One line of an NDJSON stream; `terminated` is false only for a last line with no newline. */
export interface NdjsonLine {
  text: string;
  terminated: boolean;
}

/**
 * Splits a byte stream into UTF-8 lines (without the newline), in bounded memory. Strict:
 * invalid UTF-8 throws InvalidUtf8Error (the decoder is fatal) rather than being replaced by
 * U+FFFD, and a last line without its newline is reported as unterminated, so no byte of the
 * stream goes unaccounted for.
 */
export async function* linesOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<NdjsonLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let offset = 0;
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new InvalidUtf8Error(offset);
    } finally {
      offset += chunk?.length ?? 0;
    }
  };
  for await (const chunk of chunks) {
    rest += decode(chunk);
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      yield { text: rest.slice(0, nl), terminated: true };
      rest = rest.slice(nl + 1);
    }
  }
  rest += decode();
  if (rest.length > 0) yield { text: rest, terminated: false };
}

/**
 * The exact text the exporter writes for a line. JSON.parse is lenient (whitespace around
 * the value, key order, duplicate keys, `1e0` for 1, `\\u0061` for `a`), so a line is only
 * accepted when it is byte for byte this serialisation of what was parsed from it: nothing
 * in events.ndjson is left outside the checks.
 */
function exactLineText(line: DossierEventLine): string {
  return JSON.stringify({ leafIndex: line.leafIndex, hash: line.hash, proof: line.proof, canonical: line.canonical } satisfies DossierEventLine);
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

function parseManifest(text: string): DossierManifest {
  const m = JSON.parse(text) as DossierManifest;
  if (m.kind !== 'radledger.dossier.v1') throw new Error(`kind must be radledger.dossier.v1, got ${JSON.stringify(m.kind)}`);
  if (!Array.isArray(m.files) || m.files.some((f) => typeof f.name !== 'string' || !/^[0-9a-f]{64}$/.test(String(f.sha256)))) throw new Error('files must list { name, sha256 }');
  if (typeof m.checkpoint?.note !== 'string') throw new Error('checkpoint.note must be the signed checkpoint text');
  if (typeof m.publicKey !== 'string') throw new Error('publicKey must be a verifier key');
  if (typeof m.scope?.trialId !== 'string') throw new Error('scope.trialId is missing');
  return m;
}

/**
 * The offline verifier: needs nothing but the bundle (and, to be meaningful, the ledger's
 * published key). Every check runs and reports, so a tampered bundle shows every place the
 * tampering is visible, not just the first:
 *  - manifest: manifest.json is readable and complete;
 *  - public-key: the key in the manifest is the pinned one (WARN when none is pinned);
 *  - manifest-signature: manifest.sig signs SHA-256(manifest.json) with that key;
 *  - file-hashes: every file has the sha256 the manifest lists; no unlisted file;
 *  - checkpoint-signature: the checkpoint note verifies and matches the manifest's fields;
 *  - event-hashes: each line is valid UTF-8, ends with a newline and is exactly the exporter's
 *    serialisation of { leafIndex, hash, proof, canonical }; its hash is SHA-256(0x00 || canonical)
 *    and the text is RFC 8785;
 *  - inclusion-proofs: each proof leads from the event to the checkpoint root (RFC 9162 §2.1.3.2);
 *  - chain-links: events are in strictly increasing position and, where two included events
 *    are neighbours in the ledger, the later one's prevHash is the earlier one's hash;
 *  - lineage-complete: every event, entity and signature that an included event refers to
 *    is in the bundle, and each signature's bound hash is the signed event's hash (11.70);
 *  - event-count: the number of events per type equals the manifest's counts.
 */
export async function verifyDossierBundle(reader: BundleReader, options: VerifyDossierOptions = {}): Promise<DossierVerification> {
  const checks = new Map<DossierCheckName, DossierCheck>();
  const set = (c: DossierCheck) => checks.set(c.check, c);
  const names = new Set(await reader.list());
  // The witness check is listed only when there is a policy to check against; the timestamp
  // check only when there is a token or a TSA root.
  let witnessed = options.policy !== undefined;
  let timestamped = options.tsaRoot !== undefined;
  const optional = (name: DossierCheckName) => (name === 'witness-quorum' && !witnessed) || (name === 'checkpoint-timestamp' && !timestamped);
  const finish = (): DossierVerification => {
    for (const name of CHECK_ORDER) if (!checks.has(name) && !optional(name)) set({ check: name, status: 'FAIL', detail: 'not checked: the manifest or checkpoint could not be read' });
    const list = CHECK_ORDER.filter((n) => checks.has(n)).map((n) => checks.get(n)!);
    return { ok: list.every((c) => c.status !== 'FAIL'), checks: list };
  };

  // manifest
  if (!names.has(DOSSIER_FILES.manifest)) {
    set({ check: 'manifest', status: 'FAIL', detail: 'the bundle has no manifest.json' });
    return finish();
  }
  const manifestBytes = await readAll(reader.chunks(DOSSIER_FILES.manifest)!);
  let manifest: DossierManifest;
  try {
    manifest = parseManifest(manifestBytes.toString('utf8'));
    set({ check: 'manifest', status: 'PASS', detail: `trial ${manifest.scope.trialId}${manifest.scope.modelVersion ? ` model ${manifest.scope.modelVersion}` : ''}, ${manifest.files.length} files, RadLedger ${manifest.radledgerVersion}` });
  } catch (error) {
    set({ check: 'manifest', status: 'FAIL', detail: `manifest.json is not a RadLedger dossier manifest: ${(error as Error).message}` });
    return finish();
  }

  // public-key
  let verifier: CheckpointVerifier | undefined;
  let embedded: CheckpointVerifier | undefined;
  try {
    embedded = parseVerifierKey(manifest.publicKey);
  } catch (error) {
    set({ check: 'public-key', status: 'FAIL', detail: `the manifest's publicKey is not a verifier key: ${(error as Error).message}` });
  }
  if (options.pinnedPublicKey !== undefined) {
    verifier = typeof options.pinnedPublicKey === 'string' ? parseVerifierKey(options.pinnedPublicKey) : options.pinnedPublicKey;
    const same = embedded !== undefined && embedded.name === verifier.name && embedded.publicKey.equals(verifier.publicKey);
    set(
      same
        ? { check: 'public-key', status: 'PASS', detail: `the bundle's key is the pinned key ${manifest.publicKey}` }
        : { check: 'public-key', status: 'FAIL', detail: `the bundle carries key ${manifest.publicKey}, not the pinned key` },
    );
  } else if (embedded) {
    verifier = embedded;
    set({ check: 'public-key', status: 'WARN', detail: `no key pinned: signatures are checked with the key the bundle carries (${manifest.publicKey}); pass --public-key with the ledger's published key` });
  }

  // manifest-signature
  if (verifier) {
    const manifestSha = createHash('sha256').update(manifestBytes).digest('hex');
    try {
      if (!names.has(DOSSIER_FILES.manifestSignature)) throw new Error('the bundle has no manifest.sig');
      const sigText = (await readAll(reader.chunks(DOSSIER_FILES.manifestSignature)!)).toString('utf8');
      const signed = verifySignedCheckpoint(sigText, verifier, { origin: `${manifest.checkpoint.origin}${MANIFEST_ORIGIN_SUFFIX}` });
      if (signed.rootHash !== manifestSha) throw new Error(`manifest.sig signs manifest sha256 ${signed.rootHash}, the manifest is ${manifestSha}`);
      set({ check: 'manifest-signature', status: 'PASS', detail: `manifest.json (sha256 ${manifestSha}) is signed by ${verifier.name}` });
    } catch (error) {
      set({ check: 'manifest-signature', status: 'FAIL', detail: (error as Error).message });
    }
  }

  // file-hashes
  const files = new Tally();
  for (const f of manifest.files) {
    if (!names.has(f.name)) {
      files.fail(`${f.name}: listed in the manifest but missing`);
      continue;
    }
    const h = createHash('sha256');
    let bytes = 0;
    for await (const c of reader.chunks(f.name)!) {
      h.update(c);
      bytes += c.length;
    }
    const sha = h.digest('hex');
    if (sha !== f.sha256) files.fail(`${f.name}: sha256 ${sha}, manifest says ${f.sha256}`);
    else if (bytes !== f.bytes) files.fail(`${f.name}: ${bytes} bytes, manifest says ${f.bytes}`);
  }
  const listed = new Set([...manifest.files.map((f) => f.name), DOSSIER_FILES.manifest, DOSSIER_FILES.manifestSignature]);
  for (const name of names) if (!listed.has(name)) files.fail(`${name}: in the bundle but not listed in the manifest`);
  set(files.result('file-hashes', `${manifest.files.length} files match their sha256`, 'file problems'));

  // checkpoint-signature
  let checkpoint: Checkpoint | undefined;
  if (verifier) {
    try {
      checkpoint = verifySignedCheckpoint(manifest.checkpoint.note, verifier);
      const c = manifest.checkpoint;
      if (c.treeSize !== checkpoint.treeSize || c.rootHash !== checkpoint.rootHash || c.origin !== checkpoint.origin) {
        throw new Error(`the manifest's checkpoint fields (size ${c.treeSize}, root ${c.rootHash}) differ from the signed note (size ${checkpoint.treeSize}, root ${checkpoint.rootHash})`);
      }
      set({ check: 'checkpoint-signature', status: 'PASS', detail: `${checkpoint.origin} size ${checkpoint.treeSize} root ${checkpoint.rootHash} signed by ${verifier.name}` });
    } catch (error) {
      set({ check: 'checkpoint-signature', status: 'FAIL', detail: (error as Error).message });
      try {
        // Proofs can still be checked against the (unverified) root, to show where else the bundle breaks.
        const root = manifest.checkpoint.rootHash;
        checkpoint = { origin: manifest.checkpoint.origin, treeSize: manifest.checkpoint.treeSize, rootHash: root, issuedAt: manifest.checkpoint.issuedAt };
      } catch {
        checkpoint = undefined;
      }
    }
  }
  // witness-quorum
  witnessed ||= typeof manifest.witnessPolicy === 'string';
  if (witnessed) set(checkWitnessQuorum(manifest, options.policy));
  timestamped ||= manifest.checkpointTimestamp !== undefined;
  if (timestamped) set(checkCheckpointTimestamp(manifest, options.tsaRoot));

  if (!checkpoint) return finish();

  // Events: hashes, proofs, links, lineage, counts — one streaming pass.
  const hashes = new Tally();
  const proofs = new Tally();
  const links = new Tally();
  // Keys are kept as 96-bit digests: membership is all that is needed, and a million-event
  // bundle would otherwise hold several million long strings.
  const provided = new Set<string>();
  const digest = (key: string) => oneShotHash('sha256', key, 'base64').slice(0, 16);
  const pending = new Map<string, string>();
  const byType: Record<string, number> = {};
  const root = Buffer.from(checkpoint.rootHash, 'hex');
  let previous: { leafIndex: number; hash: string } | undefined;
  let lineNo = 0;
  let linksChecked = 0;
  let events = 0;
  const trainingLineage = manifest.scope.includeTrainingLineage !== false;
  if (!names.has(DOSSIER_FILES.events)) hashes.fail('the bundle has no events.ndjson');
  else {
    try {
      for await (const { text, terminated } of linesOf(reader.chunks(DOSSIER_FILES.events)!)) {
        lineNo++;
        if (!terminated) hashes.fail(`line ${lineNo}: the last line does not end with a newline (every line of events.ndjson ends with \\n)`);
        let line: DossierEventLine;
        try {
          line = JSON.parse(text) as DossierEventLine;
          if (typeof line.canonical !== 'string' || typeof line.hash !== 'string' || !Array.isArray(line.proof) || !Number.isSafeInteger(line.leafIndex)) throw new Error('fields');
        } catch {
          hashes.fail(`line ${lineNo}: not an event line { leafIndex, hash, proof, canonical }`);
          continue;
        }
        if (text !== exactLineText(line)) {
          hashes.fail(`line ${lineNo} (position ${line.leafIndex}): the line is not exactly {"leafIndex","hash","proof","canonical"} as the exporter writes it (extra whitespace, keys or escapes)`);
        }
        events++;
        const computed = leafHashHex(line.canonical);
        if (computed !== line.hash) {
          hashes.fail(`line ${lineNo} (position ${line.leafIndex}): hash ${line.hash} but the text hashes to ${computed}`);
        }
        type Envelope = { eventId?: string; type?: string; data?: unknown; globalPosition?: string; prevHash?: string };
        const parsed: unknown = isCanonicalJson(line.canonical) ? JSON.parse(line.canonical) : undefined;
        const envelope = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Envelope) : undefined;
        if (!envelope) {
          hashes.fail(`line ${lineNo} (position ${line.leafIndex}): the event text is not RFC 8785 canonical JSON`);
          continue;
        }
        if (envelope.globalPosition !== String(line.leafIndex)) hashes.fail(`line ${lineNo}: leafIndex ${line.leafIndex} but the event says globalPosition ${String(envelope.globalPosition)}`);
        try {
          if (line.leafIndex >= checkpoint.treeSize) throw new Error(`position ${line.leafIndex} is outside the checkpoint's ${checkpoint.treeSize} events`);
          // Strict lowercase hex, as written: a re-encoded proof is a changed proof.
          const path = line.proof.map((p, i) => {
            if (typeof p !== 'string' || !/^[0-9a-f]{64}$/.test(p)) throw new Error(`proof[${i}] is not 64 lowercase hex digits`);
            return Buffer.from(p, 'hex');
          });
          verifyInclusion(line.leafIndex, checkpoint.treeSize, Buffer.from(computed, 'hex'), path, root);
          proofs.passed++;
        } catch (error) {
          proofs.fail(`line ${lineNo} (position ${line.leafIndex}): ${(error as Error).message}`);
        }
        if (previous) {
          if (line.leafIndex <= previous.leafIndex) links.fail(`line ${lineNo}: position ${line.leafIndex} does not follow ${previous.leafIndex} (events must be in ledger order, once each)`);
          else if (line.leafIndex === previous.leafIndex + 1) {
            linksChecked++;
            if (envelope.prevHash !== previous.hash) links.fail(`position ${line.leafIndex}: prevHash ${String(envelope.prevHash)} is not the hash of position ${previous.leafIndex} (${previous.hash})`);
          }
        } else if (line.leafIndex === 0) {
          linksChecked++;
          if (envelope.prevHash !== GENESIS_PREV_HASH) links.fail('position 0: prevHash must be the genesis value (32 zero bytes)');
        }
        previous = { leafIndex: line.leafIndex, hash: computed };
        byType[String(envelope.type)] = (byType[String(envelope.type)] ?? 0) + 1;
        const refs = eventReferences({ eventId: String(envelope.eventId), type: String(envelope.type), data: envelope.data }, { trainingLineage });
        for (const key of [...refs.provides, `event:${String(envelope.eventId)}#${computed}`]) {
          provided.add(digest(key));
          pending.delete(key);
        }
        for (const key of refs.requires) if (!pending.has(key) && !provided.has(digest(key))) pending.set(key, `${String(envelope.type)} ${String(envelope.eventId)} (position ${line.leafIndex})`);
      }
    } catch (error) {
      if (!(error instanceof InvalidUtf8Error)) throw error;
      // The fatal UTF-8 decoder: the events after the bad bytes are not read, and the checks below say what is then missing.
      hashes.fail(`after line ${lineNo}: events.ndjson is not valid UTF-8 (${error.message})`);
    }
  }
  set(hashes.result('event-hashes', `${events} events: every hash is SHA-256(0x00 || canonical text) of RFC 8785 text`, 'event hash problems'));
  set(proofs.result('inclusion-proofs', `${proofs.passed} inclusion proofs lead to root ${checkpoint.rootHash}`, 'inclusion proofs fail'));
  set(links.result('chain-links', `events in ledger order; ${linksChecked} links between neighbouring positions match`, 'chain problems'));
  const lineage = new Tally();
  for (const [key, by] of pending) lineage.fail(`${key} is referenced by ${by} but is not in the bundle`);
  set(lineage.result('lineage-complete', `every reference of the ${events} events resolves inside the bundle`, 'references missing'));
  const counted = new Tally();
  const expected = manifest.counts?.byType ?? {};
  for (const type of new Set([...Object.keys(expected), ...Object.keys(byType)])) {
    if ((expected[type] ?? 0) !== (byType[type] ?? 0)) counted.fail(`${type}: ${byType[type] ?? 0} events in events.ndjson, manifest says ${expected[type] ?? 0}`);
  }
  if (manifest.counts?.events !== events) counted.fail(`${events} events in events.ndjson, manifest says ${manifest.counts?.events}`);
  set(counted.result('event-count', `${events} events, counts per type as in the manifest`, 'count mismatches'));
  return finish();
}

/** The RFC 3161 token the bundle carries over its checkpoint, against the auditor's pinned TSA root. */
function checkCheckpointTimestamp(manifest: DossierManifest, tsaRoot: string | Uint8Array | undefined): DossierCheck {
  const stamp = manifest.checkpointTimestamp;
  if (stamp === undefined) return { check: 'checkpoint-timestamp', status: 'FAIL', detail: 'a TSA root was given but the bundle carries no RFC 3161 timestamp of its checkpoint' };
  if (tsaRoot === undefined) {
    return { check: 'checkpoint-timestamp', status: 'WARN', detail: `the bundle carries an RFC 3161 timestamp from ${stamp.tsaUrl}; pass --tsa-root with the TSA's root certificate to check it` };
  }
  try {
    if (!/^\d{1,80}$/.test(stamp.nonce)) throw new Error(`nonce ${JSON.stringify(stamp.nonce).slice(0, 40)} is not a decimal number`);
    const body = parseSignedCheckpoint(manifest.checkpoint.note).body;
    const check = verifyTimestampToken(Buffer.from(stamp.token, 'base64'), Buffer.from(body, 'utf8'), { trustedRoots: [tsaRoot], nonce: BigInt(stamp.nonce) });
    return { check: 'checkpoint-timestamp', status: 'PASS', detail: `checkpoint of size ${manifest.checkpoint.treeSize} existed by ${check.genTime.toISOString()} (RFC 3161 token by ${check.tsa})` };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { check: 'checkpoint-timestamp', status: 'FAIL', detail: `${code ? `[${code}] ` : ''}${(error as Error).message}` };
  }
}

/** The manifest's cosigned checkpoint against the auditor's policy (or, with a WARN at best, the one the bundle carries). */
function checkWitnessQuorum(manifest: DossierManifest, given: string | WitnessPolicy | undefined): DossierCheck {
  let policy: WitnessPolicy;
  try {
    policy = given === undefined ? parseWitnessPolicy(manifest.witnessPolicy!) : typeof given === 'string' ? parseWitnessPolicy(given) : given;
  } catch (error) {
    return { check: 'witness-quorum', status: 'FAIL', detail: `${given === undefined ? 'the bundle\'s witnessPolicy' : 'the policy'} is not a witness policy: ${(error as Error).message}` };
  }
  let result;
  try {
    result = checkCosignedCheckpoint(manifest.checkpoint.note, policy);
  } catch (error) {
    return { check: 'witness-quorum', status: 'FAIL', detail: `the checkpoint note cannot be read: ${(error as Error).message}` };
  }
  const failures = result.witnesses.filter((w) => w.status !== 'cosigned').map((w) => `witness ${w.witness} (${w.key}): ${w.status === 'missing' ? 'no cosignature' : w.reason}`);
  if (result.logProblem) failures.unshift(result.logProblem);
  if (!result.ok) return { check: 'witness-quorum', status: 'FAIL', detail: result.summary, failures };
  if (given === undefined) {
    return { check: 'witness-quorum', status: 'WARN', detail: `${result.summary}, by the policy the bundle carries; pass --policy with your own policy` };
  }
  const differs = typeof manifest.witnessPolicy === 'string' && manifest.witnessPolicy !== policy.text;
  return { check: 'witness-quorum', status: 'PASS', detail: `${result.summary}${differs ? ' (the bundle was exported under a different policy)' : ''}` };
}
