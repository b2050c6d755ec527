import { verify } from 'node:crypto';
import {
  checkpointKeyId,
  decodeStrictBase64,
  EMPTY_ROOT,
  keyLabel,
  parseSignedNote,
  parseTlogCheckpoint,
  ProofError,
  verifyConsistency,
  type CheckpointVerifier,
  type SignedNote,
  type TlogCheckpoint,
} from '@radledger/ledger';
import { WitnessError } from './witness.errors.js';

/**
 * The C2SP tlog-witness `add-checkpoint` call (c2sp.org/tlog-witness §add-checkpoint):
 * the request body, and the witness's checks in the order the spec gives them.
 */
export interface AddCheckpointRequest {
  /** Size of the checkpoint the client believes the witness cosigned last (0: none). */
  oldSize: number;
  /** RFC 6962 §2.1.2 consistency proof from oldSize to the checkpoint's size. */
  proof: Buffer[];
  /** The signed checkpoint note. */
  note: string;
}

/** §add-checkpoint: "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_PROOF_LINES = 63;
/** Bodies beyond this are refused before parsing (a checkpoint, 63 hashes and 16+ signatures fit easily). */
export const MAX_ADD_CHECKPOINT_BYTES = 64 * 1024;

export function formatAddCheckpointRequest(request: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(request.oldSize) || request.oldSize < 0) throw new WitnessError('ADD_CHECKPOINT_MALFORMED', `old size must be a non-negative integer, got ${request.oldSize}`);
  if (request.proof.length > MAX_PROOF_LINES) throw new WitnessError('ADD_CHECKPOINT_MALFORMED', `at most ${MAX_PROOF_LINES} proof lines, got ${request.proof.length}`);
  return `old ${request.oldSize}\n${request.proof.map((h) => `${Buffer.from(h).toString('base64')}\n`).join('')}\n${request.note}`;
}

/** Parses a request body; throws WitnessError ADD_CHECKPOINT_MALFORMED (→ 400) when it is not one. */
export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  const bad = (message: string): never => {
    throw new WitnessError('ADD_CHECKPOINT_MALFORMED', message);
  };
  const firstNl = body.indexOf('\n');
  if (firstNl < 0) bad('the body must start with an "old <size>" line');
  const oldLine = body.slice(0, firstNl);
  const m = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
  if (!m) bad(`the first line must be "old <size>" in decimal without leading zeros, got ${JSON.stringify(oldLine.slice(0, 80))}`);
  const oldSize = Number(m![1]);
  if (!Number.isSafeInteger(oldSize)) bad(`old size ${m![1]} is too large`);
  const proof: Buffer[] = [];
  let at = firstNl + 1;
  for (;;) {
    const nl = body.indexOf('\n', at);
    if (nl < 0) bad('the proof lines must be followed by an empty line and the checkpoint');
    const line = body.slice(at, nl);
    at = nl + 1;
    if (line === '') break;
    if (proof.length === MAX_PROOF_LINES) bad(`at most ${MAX_PROOF_LINES} consistency proof lines are allowed`);
    const hash = decodeStrictBase64(line);
    if (!hash || hash.length !== 32) bad(`proof line ${proof.length + 1} must be the base64 of a 32-byte hash`);
    proof.push(hash!);
  }
  return { oldSize, proof, note: body.slice(at) };
}

/** Why a witness refuses, with the HTTP status the spec assigns. */
export interface AddCheckpointRefusal {
  status: 400 | 403 | 404 | 409 | 422;
  reason: string;
  /** 409 only: the size of the latest checkpoint the witness cosigned for this origin. */
  size?: number;
}

export interface CheckedSubmission {
  request: AddCheckpointRequest;
  note: SignedNote;
  checkpoint: TlogCheckpoint;
}

/** What the witness knows of one log: the latest checkpoint it cosigned. */
export interface WitnessedLogState {
  treeSize: number;
  /** Lowercase hex. */
  rootHash: string;
}

/** The log keys a witness trusts, by origin. */
export type TrustedLogs = ReadonlyMap<string, readonly CheckpointVerifier[]>;

/**
 * The stateless checks: the body parses (400), the origin is known (404), a trusted log key
 * signed it and no trusted key's signature fails (403), old size <= size (400).
 */
export function checkSubmission(body: string, logs: TrustedLogs): CheckedSubmission | AddCheckpointRefusal {
  let request: AddCheckpointRequest;
  let note: SignedNote;
  let checkpoint: TlogCheckpoint;
  try {
    request = parseAddCheckpointRequest(body);
    note = parseSignedNote(request.note);
    checkpoint = parseTlogCheckpoint(note.text);
  } catch (error) {
    return { status: 400, reason: (error as Error).message };
  }
  const keys = logs.get(checkpoint.origin);
  if (!keys || keys.length === 0) return { status: 404, reason: `unknown log origin ${JSON.stringify(checkpoint.origin)}` };
  let verified = 0;
  const message = Buffer.from(note.text, 'utf8');
  for (const key of keys) {
    const id = checkpointKeyId(key.name, key.publicKey);
    for (const s of note.signatures) {
      if (s.name !== key.name || s.keyId !== id) continue;
      // signed-note: a signature by a known key that fails makes the whole note malformed.
      if (!verify(null, message, key.publicKey, s.signature)) return { status: 403, reason: `the signature by log key ${keyLabel(key.name, id)} does not verify` };
      verified++;
    }
  }
  if (verified === 0) return { status: 403, reason: `no signature by a trusted key of ${checkpoint.origin} (${keys.map((k) => keyLabel(k.name, checkpointKeyId(k.name, k.publicKey))).join(', ')})` };
  if (request.oldSize > checkpoint.treeSize) return { status: 400, reason: `old size ${request.oldSize} is larger than the checkpoint size ${checkpoint.treeSize}` };
  return { request, note, checkpoint };
}

/**
 * The checks against the witness's state, to run atomically with the update that follows
 * them: old size = the size last cosigned (409 with that size), the empty tree's root (422),
 * no proof from size 0 (422), the consistency proof, or equal roots at equal sizes (422).
 * Returns undefined when the checkpoint may be cosigned.
 */
export function checkAgainstState(submission: CheckedSubmission, state: WitnessedLogState | undefined): AddCheckpointRefusal | undefined {
  const { request, checkpoint } = submission;
  const known = state?.treeSize ?? 0;
  if (request.oldSize !== known) return { status: 409, reason: `old size ${request.oldSize} is not the size last cosigned (${known})`, size: known };
  const newRoot = Buffer.from(checkpoint.rootHash, 'hex');
  if (checkpoint.treeSize === 0 && !newRoot.equals(EMPTY_ROOT)) return { status: 422, reason: 'a checkpoint of size 0 must carry the root of the empty tree' };
  if (request.oldSize === 0) {
    if (request.proof.length !== 0) return { status: 422, reason: 'the consistency proof from size 0 must be empty' };
    return undefined;
  }
  try {
    verifyConsistency(request.oldSize, checkpoint.treeSize, request.proof, Buffer.from(state!.rootHash, 'hex'), newRoot);
  } catch (error) {
    if (error instanceof ProofError) {
      return { status: 422, reason: `checkpoint ${checkpoint.treeSize} is not consistent with the checkpoint ${known} cosigned before: ${error.message}` };
    }
    throw error;
  }
  return undefined;
}

export function isRefusal(value: CheckedSubmission | AddCheckpointRefusal | undefined): value is AddCheckpointRefusal {
  return value !== undefined && 'status' in value;
}
