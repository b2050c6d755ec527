import { keyLabel, parseNoteSignatureLine, parseSignedNote, parseTlogCheckpoint, type StoredCheckpoint } from '@radledger/ledger';
import { verifyCosignature } from './core/cosignature.js';
import { checkCosignedCheckpoint, type WitnessVerdict } from './core/cosigned-checkpoint.js';
import { describeQuorum, quorumMet, type WitnessPolicy } from './core/witness-policy.js';
import type { CosignatureRecord } from './cosignature-store.port.js';

export interface CheckpointWitnessing {
  treeSize: number;
  rootHash: string;
  issuedAt?: string;
  /** Verdict of each policy witness on this (size, root). */
  witnesses: WitnessVerdict[];
  quorumMet: boolean;
}

export interface WitnessingFailure {
  /** The policy's name of the witness whose evidence fails. */
  witness: string;
  treeSize: number;
  kind: 'invalid-cosignature' | 'fork' | 'beyond-head';
  message: string;
}

export interface WitnessingReport {
  ok: boolean;
  quorum: string;
  /** One per stored checkpoint, by tree size. */
  checkpoints: CheckpointWitnessing[];
  newest?: CheckpointWitnessing;
  newestWithQuorum?: CheckpointWitnessing;
  failures: WitnessingFailure[];
  /** Lines for people: the verdict, naming witnesses and checkpoints. */
  summary: string[];
}

export interface LedgerWitnessingInput {
  /** The ledger's stored checkpoints (log-signed; their signatures are checked by the chain verifier). */
  checkpoints: StoredCheckpoint[];
  cosignatures: CosignatureRecord[];
  policy: WitnessPolicy;
  /** Number of events in the (verified) ledger. */
  headSize: number;
  /** The recomputed Merkle root at a size (from the verified ledger). */
  rootAt: (treeSize: number) => Promise<string>;
}

interface Attestation {
  witness: string;
  origin: string;
  treeSize: number;
  rootHash: string;
  timestamp: number;
}

/**
 * What the witnesses' cosignatures say about a ledger that has already passed the chain
 * verifier (so its roots are the roots of its stored events). Each cosignature by a policy
 * witness must verify over the checkpoint text it was given (else `invalid-cosignature`);
 * each verified one is that witness's statement that the tree of that size had that root,
 * so a different root there now is a rewrite (`fork`) and a size beyond the head is a loss
 * of events (`beyond-head`), both naming the witness. Then per stored checkpoint: which
 * witnesses vouch for its (size, root), and whether that meets the quorum. OK needs no
 * failure and the quorum on the newest checkpoint.
 */
export async function verifyLedgerWitnessing(input: LedgerWitnessingInput): Promise<WitnessingReport> {
  const { policy } = input;
  const failures: WitnessingFailure[] = [];
  const attestations: Attestation[] = [];
  const invalidAt = new Map<string, Set<string>>();
  for (const r of input.cosignatures) {
    const w = policy.witnesses.find((p) => p.verifier.name === r.witness && p.verifier.keyId === r.keyId);
    if (!w) continue; // signed-note: signatures by keys the verifier does not know are ignored.
    let text: string;
    let origin: string;
    let treeSize: number;
    let rootHash: string;
    try {
      text = parseSignedNote(r.note).text;
      ({ origin, treeSize, rootHash } = parseTlogCheckpoint(text));
      const v = verifyCosignature(text, parseNoteSignatureLine(r.line), w.verifier);
      attestations.push({ witness: w.name, origin, treeSize, rootHash, timestamp: v.timestamp });
    } catch (error) {
      failures.push({ witness: w.name, treeSize: r.treeSize, kind: 'invalid-cosignature', message: `witness ${w.name} (${keyLabel(w.verifier.name, w.verifier.keyId)}): stored cosignature for checkpoint ${r.treeSize} does not verify: ${(error as Error).message}` });
      const key = `${r.treeSize}:${r.rootHash}`;
      invalidAt.set(key, new Set([...(invalidAt.get(key) ?? []), w.name]));
    }
  }
  const rootCache = new Map<number, string>();
  const rootAt = async (size: number) => {
    if (!rootCache.has(size)) rootCache.set(size, await input.rootAt(size));
    return rootCache.get(size)!;
  };
  const seen = new Set<string>();
  for (const a of attestations) {
    const key = `${a.witness}:${a.treeSize}:${a.rootHash}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const when = new Date(a.timestamp * 1000).toISOString();
    if (a.treeSize > input.headSize) {
      failures.push({ witness: a.witness, treeSize: a.treeSize, kind: 'beyond-head', message: `witness ${a.witness} cosigned size ${a.treeSize} (root ${a.rootHash}) at ${when}, but the ledger now holds ${input.headSize} events: events were removed` });
      continue;
    }
    const now = await rootAt(a.treeSize);
    if (now !== a.rootHash) {
      failures.push({ witness: a.witness, treeSize: a.treeSize, kind: 'fork', message: `witness ${a.witness} cosigned size ${a.treeSize} with root ${a.rootHash} at ${when}, but the ledger's root at size ${a.treeSize} is ${now}: the history was rewritten after ${a.witness} saw it` });
    }
  }
  const checkpoints: CheckpointWitnessing[] = [...input.checkpoints]
    .sort((x, y) => x.treeSize - y.treeSize)
    .map((c) => {
      const origin = parseTlogCheckpoint(parseSignedNote(c.note).text).origin;
      const invalid = invalidAt.get(`${c.treeSize}:${c.rootHash}`) ?? new Set<string>();
      const witnesses: WitnessVerdict[] = policy.witnesses.map((w) => {
        const key = keyLabel(w.verifier.name, w.verifier.keyId);
        const mine = attestations.filter((a) => a.witness === w.name && a.origin === origin && a.treeSize === c.treeSize && a.rootHash === c.rootHash);
        if (mine.length > 0) return { witness: w.name, key, status: 'cosigned', timestamp: Math.max(...mine.map((a) => a.timestamp)) };
        if (invalid.has(w.name)) return { witness: w.name, key, status: 'invalid', reason: 'stored cosignature does not verify' };
        return { witness: w.name, key, status: 'missing' };
      });
      const met = quorumMet(policy.quorum, new Set(witnesses.filter((w) => w.status === 'cosigned').map((w) => w.witness)));
      return { treeSize: c.treeSize, rootHash: c.rootHash, issuedAt: c.issuedAt, witnesses, quorumMet: met };
    });
  const newest = checkpoints[checkpoints.length - 1];
  const newestWithQuorum = [...checkpoints].reverse().find((c) => c.quorumMet);
  const quorum = describeQuorum(policy.quorum);
  const ok = failures.length === 0 && (newest ? newest.quorumMet : policy.quorum.kind === 'none');
  return { ok, quorum, checkpoints, newest, newestWithQuorum, failures, summary: summarise(newest, newestWithQuorum, failures, quorum, input.headSize) };
}

function names(c: CheckpointWitnessing, status: WitnessVerdict['status']): string {
  return c.witnesses.filter((w) => w.status === status).map((w) => w.witness).join(', ') || 'none';
}

function summarise(newest: CheckpointWitnessing | undefined, withQuorum: CheckpointWitnessing | undefined, failures: WitnessingFailure[], quorum: string, head: number): string[] {
  const out = failures.map((f) => `FAIL ${f.message}`);
  if (!newest) {
    out.push(`no stored checkpoint: nothing is witnessed (quorum ${quorum})`);
    return out;
  }
  if (newest.quorumMet) {
    out.push(`newest checkpoint size ${newest.treeSize} (root ${newest.rootHash}) has quorum ${quorum}: cosigned by ${names(newest, 'cosigned')}`);
  } else {
    out.push(`newest checkpoint size ${newest.treeSize} (root ${newest.rootHash}) LACKS quorum ${quorum}: cosigned by ${names(newest, 'cosigned')}; missing ${names(newest, 'missing')}${newest.witnesses.some((w) => w.status === 'invalid') ? `; invalid ${names(newest, 'invalid')}` : ''}`);
    out.push(
      withQuorum
        ? `newest checkpoint with quorum: size ${withQuorum.treeSize} (root ${withQuorum.rootHash}${withQuorum.issuedAt ? `, issued ${withQuorum.issuedAt}` : ''}), cosigned by ${names(withQuorum, 'cosigned')}: events 0..${withQuorum.treeSize - 1} are witnessed`
        : 'no checkpoint has quorum: no event is witnessed',
    );
  }
  const witnessedUpTo = (newest.quorumMet ? newest : withQuorum)?.treeSize ?? 0;
  if (head > witnessedUpTo) out.push(`${head - witnessedUpTo} events after size ${witnessedUpTo} are not yet witnessed by a quorum`);
  return out;
}

/** The stored checkpoint note with every stored cosignature line made over exactly that note (the "cosigned checkpoint"). */
export function cosignedNote(note: string, records: readonly CosignatureRecord[]): string {
  const lines = [...new Set(records.filter((r) => r.note === note).map((r) => r.line))];
  return note + lines.map((l) => `${l}\n`).join('');
}

export interface CosignedCheckpointView {
  treeSize: number;
  rootHash: string;
  issuedAt: string;
  /** Log signature and the cosignature lines. */
  note: string;
  /** Key names of the witnesses whose cosignatures are attached. */
  witnesses: string[];
  /** Whether the policy's quorum is met (null when no policy is configured). */
  quorumMet: boolean | null;
}

/**
 * The newest stored checkpoint with cosignatures (with a policy: the newest whose
 * cosignatures meet its quorum), for `ledgerStatus` and the dossier export.
 */
export function latestCosignedCheckpoint(checkpoints: readonly StoredCheckpoint[], records: readonly CosignatureRecord[], policy?: WitnessPolicy, options: { minTreeSize?: number } = {}): CosignedCheckpointView | undefined {
  const sorted = [...checkpoints].sort((a, b) => b.treeSize - a.treeSize);
  for (const c of sorted) {
    if (c.treeSize < (options.minTreeSize ?? 0)) break;
    const mine = records.filter((r) => r.note === c.note);
    if (mine.length === 0) continue;
    const note = cosignedNote(c.note, mine);
    let met: boolean | null = null;
    if (policy) {
      const check = checkCosignedCheckpoint(note, policy);
      met = check.quorumMet && !check.witnesses.some((w) => w.status === 'invalid');
      if (!met) continue;
    }
    return { treeSize: c.treeSize, rootHash: c.rootHash, issuedAt: c.issuedAt, note, witnesses: [...new Set(mine.map((r) => r.witness))], quorumMet: met };
  }
  return undefined;
}
