/**
 * The offline check of an inclusion proof, in the browser (WebCrypto SHA-256): the leaf hash
 * from the event's canonical bytes (RFC 9162 §2.1.1: SHA-256(0x00 || leaf)), then the root from
 * the audit path (RFC 9162 §2.1.3.2), compared with the root the server answered and the
 * checkpoint names. Nothing is sent anywhere.
 */

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** A SHA-256 hash as hex: exactly 32 bytes (an empty or truncated hash is refused, RFC 9162 §2.1.3.2). */
function hexToBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`not a SHA-256 hash (64 hex digits): "${hex.slice(0, 16)}…"`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

export async function leafHashOf(canonical: string): Promise<string> {
  return bytesToHex(await sha256(new Uint8Array([LEAF_PREFIX]), new TextEncoder().encode(canonical)));
}

/** RFC 9162 §2.1.3.2: the root an audit path leads to, or an error naming what is wrong. */
export async function rootFromInclusionProof(leafIndex: number, treeSize: number, leafHash: string, proof: string[]): Promise<string> {
  if (leafIndex < 0 || leafIndex >= treeSize) throw new Error(`leaf index ${leafIndex} is outside a tree of ${treeSize}`);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = hexToBytes(leafHash);
  for (const p of proof) {
    if (sn === 0) throw new Error('the proof is longer than the tree allows');
    const node = hexToBytes(p);
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(new Uint8Array([NODE_PREFIX]), node, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(new Uint8Array([NODE_PREFIX]), r, node);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('the proof is shorter than the tree needs');
  return bytesToHex(r);
}

/** Compares a computed root with the expected one, refusing an expected value that is not a hash. */
export function sameRoot(computed: string, expected: string): boolean {
  return /^[0-9a-f]{64}$/i.test(expected) && computed.toLowerCase() === expected.toLowerCase();
}

export interface OfflineCheck {
  leafHashMatches: boolean | null;
  rootMatches: boolean;
  checkpointNamesRoot: boolean | null;
  computedRoot: string;
  problem?: string;
}

/** The checkpoint note's third line is the base64 root (C2SP tlog-checkpoint). */
function checkpointRootHex(note: string): string | undefined {
  const line = note.split('\n')[2];
  if (!line) return undefined;
  try {
    return bytesToHex(Uint8Array.from(atob(line.trim()), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

export async function checkInclusion(p: { leafIndex: number; treeSize: number; leafHash: string; rootHash: string; proof: string[]; canonical?: string | null; checkpoint?: string | null }): Promise<OfflineCheck> {
  const leafHashMatches = p.canonical ? (await leafHashOf(p.canonical)) === p.leafHash : null;
  let computedRoot = '';
  let problem: string | undefined;
  try {
    computedRoot = await rootFromInclusionProof(p.leafIndex, p.treeSize, p.leafHash, p.proof);
  } catch (e) {
    problem = e instanceof Error ? e.message : String(e);
  }
  const fromCheckpoint = p.checkpoint ? checkpointRootHex(p.checkpoint) : undefined;
  return {
    leafHashMatches,
    rootMatches: computedRoot !== '' && sameRoot(computedRoot, p.rootHash),
    checkpointNamesRoot: fromCheckpoint === undefined ? null : fromCheckpoint === computedRoot,
    computedRoot,
    ...(problem ? { problem } : {}),
  };
}
