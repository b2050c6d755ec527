import { ValidationError } from '@radledger/platform';
import { verifySignedCheckpoint, type Checkpoint, type CheckpointVerifier } from './core/checkpoint.js';
import { leafHashHex } from './core/hashing.js';
import { ProofError, verifyConsistency, verifyInclusion } from './core/merkle.js';

/**
 * Self-contained proofs as JSON documents, checkable offline with nothing but the
 * document and (for the signed checkpoint) the ledger's public verifier key.
 */
export interface InclusionProofBundle {
  kind: 'radledger.inclusion-proof.v1';
  eventId: string;
  /** = the event's global position. */
  leafIndex: number;
  treeSize: number;
  /** SHA-256(0x00 || canonical), hex. */
  leafHash: string;
  /** RFC 9162 §2.1.3 audit path, hex, bottom up. */
  proof: string[];
  rootHash: string;
  /** The exact stored RFC 8785 bytes of the event. */
  canonical: string;
  /** The signed checkpoint for `treeSize`, if one was issued at that size. */
  checkpoint?: string;
}

export interface ConsistencyProofBundle {
  kind: 'radledger.consistency-proof.v1';
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  /** RFC 9162 §2.1.4 consistency path, hex. */
  proof: string[];
  checkpoint1?: string;
  checkpoint2?: string;
}

export type ProofBundle = InclusionProofBundle | ConsistencyProofBundle;

export interface ProofBundleCheck {
  kind: ProofBundle['kind'];
  /** Checkpoints whose signature was verified against the given key. */
  signedCheckpoints: Checkpoint[];
  /** True when the root is vouched for by a signed checkpoint, not just by the document. */
  rootSigned: boolean;
}

const HEX32 = /^[0-9a-f]{64}$/;

function invalid(message: string): never {
  throw new ValidationError('PROOF_MALFORMED', message);
}

function hex32(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !HEX32.test(value)) invalid(`${field} must be 64 lowercase hex digits`);
  return Buffer.from(value, 'hex');
}

function size(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) invalid(`${field} must be a non-negative integer`);
  return value as number;
}

function hexList(value: unknown, field: string): Buffer[] {
  if (!Array.isArray(value)) invalid(`${field} must be an array of hex hashes`);
  return value.map((item, i) => hex32(item, `${field}[${i}]`));
}

function checkNote(note: unknown, field: string, treeSize: number, rootHash: string, verifier: CheckpointVerifier | undefined): Checkpoint | undefined {
  if (note === undefined) return undefined;
  if (typeof note !== 'string') invalid(`${field} must be a signed checkpoint note`);
  if (!verifier) return undefined;
  const checkpoint = verifySignedCheckpoint(note, verifier);
  if (checkpoint.treeSize !== treeSize || checkpoint.rootHash !== rootHash) {
    throw new ProofError(`${field} signs size ${checkpoint.treeSize} root ${checkpoint.rootHash}, not the proof's`, `${treeSize} ${rootHash}`, `${checkpoint.treeSize} ${checkpoint.rootHash}`);
  }
  return checkpoint;
}

/**
 * Checks a parsed proof document. Throws ValidationError PROOF_MALFORMED for a document of
 * the wrong shape, ProofError PROOF_INVALID when the proof does not hold, CheckpointError
 * when a checkpoint signature does not verify against `verifier`.
 */
export function verifyProofBundle(document: unknown, options: { verifier?: CheckpointVerifier } = {}): ProofBundleCheck {
  if (typeof document !== 'object' || document === null) invalid('proof document must be a JSON object');
  const doc = document as Record<string, unknown>;
  if (doc['kind'] === 'radledger.inclusion-proof.v1') {
    const leafIndex = size(doc['leafIndex'], 'leafIndex');
    const treeSize = size(doc['treeSize'], 'treeSize');
    const leaf = hex32(doc['leafHash'], 'leafHash');
    const root = hex32(doc['rootHash'], 'rootHash');
    if (typeof doc['canonical'] !== 'string') invalid('canonical must be the event text');
    const computedLeaf = leafHashHex(doc['canonical']);
    if (computedLeaf !== leaf.toString('hex')) {
      throw new ProofError('leafHash is not the hash of the canonical event text', leaf.toString('hex'), computedLeaf);
    }
    let position: unknown;
    try {
      position = (JSON.parse(doc['canonical']) as { globalPosition?: unknown }).globalPosition;
    } catch {
      invalid('canonical is not JSON');
    }
    if (position !== String(leafIndex)) {
      throw new ProofError('the event text carries another globalPosition than leafIndex', String(leafIndex), String(position));
    }
    verifyInclusion(leafIndex, treeSize, leaf, hexList(doc['proof'], 'proof'), root);
    const signed = checkNote(doc['checkpoint'], 'checkpoint', treeSize, root.toString('hex'), options.verifier);
    return { kind: 'radledger.inclusion-proof.v1', signedCheckpoints: signed ? [signed] : [], rootSigned: signed !== undefined };
  }
  if (doc['kind'] === 'radledger.consistency-proof.v1') {
    const size1 = size(doc['size1'], 'size1');
    const size2 = size(doc['size2'], 'size2');
    const root1 = hex32(doc['root1'], 'root1');
    const root2 = hex32(doc['root2'], 'root2');
    verifyConsistency(size1, size2, hexList(doc['proof'], 'proof'), root1, root2);
    const signed = [
      checkNote(doc['checkpoint1'], 'checkpoint1', size1, root1.toString('hex'), options.verifier),
      checkNote(doc['checkpoint2'], 'checkpoint2', size2, root2.toString('hex'), options.verifier),
    ].filter((c): c is Checkpoint => c !== undefined);
    return { kind: 'radledger.consistency-proof.v1', signedCheckpoints: signed, rootSigned: signed.length === 2 };
  }
  invalid(`kind must be radledger.inclusion-proof.v1 or radledger.consistency-proof.v1, got ${JSON.stringify(doc['kind'])}`);
}
