import { verify } from 'node:crypto';
import { checkpointKeyId, keyLabel, parseSignedNote, parseTlogCheckpoint, type NoteSignatureLine, type TlogCheckpoint } from '@radledger/ledger';
import { isCosignatureBy, verifyCosignature } from './cosignature.js';
import { describeQuorum, quorumMet, quorumWitnesses, type PolicyLog, type WitnessPolicy } from './witness-policy.js';

/** One policy witness's verdict on one checkpoint. */
export interface WitnessVerdict {
  /** The policy's name for the witness. */
  witness: string;
  /** `name+keyid` of the witness key. */
  key: string;
  status: 'cosigned' | 'invalid' | 'missing';
  /** POSIX seconds, when cosigned. */
  timestamp?: number;
  /** Why, when invalid. */
  reason?: string;
}

export interface CosignedCheckpointCheck {
  checkpoint: TlogCheckpoint;
  /** The policy log whose signature verified; undefined when none did. */
  log?: PolicyLog;
  logProblem?: string;
  witnesses: WitnessVerdict[];
  quorumMet: boolean;
  quorum: string;
  /** True when the log signature verified, no known cosignature failed and the quorum is met. */
  ok: boolean;
  /** One sentence for people, naming the witnesses. */
  summary: string;
}

/**
 * Checks a cosigned checkpoint note against a policy (c2sp.org/tlog-policy: "a checkpoint
 * is considered valid if it is signed by any one of the listed logs, and it is cosigned by
 * witnesses according to the defined quorum rule"). Signature lines by keys the policy does
 * not list are ignored (signed-note §Signatures); a line by a listed witness that does not
 * verify fails the check and is named. With no log in the policy, the log signature is the
 * caller's business (e.g. the pinned --public-key).
 */
export function checkCosignedCheckpoint(note: string, policy: WitnessPolicy, extraLines: readonly NoteSignatureLine[] = []): CosignedCheckpointCheck {
  const parsed = parseSignedNote(note);
  const checkpoint = parseTlogCheckpoint(parsed.text);
  const lines = [...parsed.signatures, ...extraLines];
  let log: PolicyLog | undefined;
  let logProblem: string | undefined;
  if (policy.logs.length > 0) {
    for (const candidate of policy.logs) {
      const id = checkpointKeyId(candidate.verifier.name, candidate.verifier.publicKey);
      const mine = lines.filter((s) => s.name === candidate.verifier.name && s.keyId === id);
      if (mine.length === 0) continue;
      if (mine.every((s) => verify(null, Buffer.from(parsed.text, 'utf8'), candidate.verifier.publicKey, s.signature))) log = candidate;
      else logProblem = `the signature by log key ${keyLabel(candidate.verifier.name, id)} does not verify`;
    }
    if (!log && !logProblem) logProblem = `no signature by a log the policy lists (${policy.logs.map((l) => keyLabel(l.verifier.name, l.verifier.keyId)).join(', ')})`;
  }
  const witnesses: WitnessVerdict[] = policy.witnesses.map((w) => {
    const key = keyLabel(w.verifier.name, w.verifier.keyId);
    const mine = lines.filter((s) => isCosignatureBy(s, w.verifier));
    if (mine.length === 0) return { witness: w.name, key, status: 'missing' };
    try {
      let timestamp = 0;
      for (const s of mine) timestamp = Math.max(timestamp, verifyCosignature(parsed.text, s, w.verifier).timestamp);
      return { witness: w.name, key, status: 'cosigned', timestamp };
    } catch (error) {
      return { witness: w.name, key, status: 'invalid', reason: (error as Error).message };
    }
  });
  const cosigned = new Set(witnesses.filter((w) => w.status === 'cosigned').map((w) => w.witness));
  const met = quorumMet(policy.quorum, cosigned);
  const invalid = witnesses.filter((w) => w.status === 'invalid');
  const ok = logProblem === undefined && invalid.length === 0 && met;
  return { checkpoint, log, logProblem, witnesses, quorumMet: met, quorum: describeQuorum(policy.quorum), ok, summary: summarise(checkpoint, witnesses, met, policy, logProblem) };
}

function summarise(cp: TlogCheckpoint, verdicts: WitnessVerdict[], met: boolean, policy: WitnessPolicy, logProblem: string | undefined): string {
  const relevant = new Set(quorumWitnesses(policy.quorum));
  const by = (status: WitnessVerdict['status']) => verdicts.filter((v) => v.status === status && (relevant.has(v.witness) || status === 'invalid')).map((v) => v.witness);
  const parts = [`checkpoint size ${cp.treeSize}: cosigned by ${by('cosigned').join(', ') || 'no witness'}`];
  if (by('invalid').length > 0) parts.push(`cosignature does not verify: ${by('invalid').join(', ')}`);
  if (by('missing').length > 0) parts.push(`no cosignature from ${by('missing').join(', ')}`);
  parts.push(`quorum ${describeQuorum(policy.quorum)} ${met ? 'met' : 'NOT met'}`);
  if (logProblem) parts.push(logProblem);
  return parts.join('; ');
}
