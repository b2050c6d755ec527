import { createHash } from 'node:crypto';
import type { CheckpointVerifier } from '@radledger/ledger';
import { checkAgainstState, checkSubmission, isRefusal, MAX_ADD_CHECKPOINT_BYTES, type AddCheckpointRefusal, type TrustedLogs } from './core/add-checkpoint.js';
import { encodeCosignatureVerifierKey, signCosignature, type Cosigner } from './core/cosignature.js';
import type { WitnessStateStore } from './witness-state.port.js';

/** An HTTP answer, independent of the framework that sends it. */
export interface WitnessResponse {
  status: number;
  contentType: string;
  body: string;
}

export interface WitnessOptions {
  cosigner: Cosigner;
  /** Trusted log keys by origin (`--log <origin>=<vkey>`). */
  logs: Array<{ origin: string; verifier: CheckpointVerifier }>;
  state: WitnessStateStore;
  /** Cosignature timestamps (default: the system clock). */
  now?: () => Date;
}

/** tlog-witness §add-checkpoint: the 409 body is the size, newline, as `text/x.tlog.size`. */
export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

/**
 * A C2SP tlog-witness: cosigns a log's checkpoint only when the log's key signed it and it
 * is consistent with the latest checkpoint this witness cosigned for that origin, and
 * stores (origin, size, root) atomically before answering. It sees roots, never events.
 */
export class Witness {
  readonly cosigner: Cosigner;
  readonly verifierKey: string;
  private readonly logs: TrustedLogs;
  private readonly state: WitnessStateStore;
  private readonly now: () => Date;

  constructor(options: WitnessOptions) {
    this.cosigner = options.cosigner;
    this.verifierKey = encodeCosignatureVerifierKey(options.cosigner);
    const logs = new Map<string, CheckpointVerifier[]>();
    for (const l of options.logs) logs.set(l.origin, [...(logs.get(l.origin) ?? []), l.verifier]);
    this.logs = logs;
    this.state = options.state;
    this.now = options.now ?? (() => new Date());
  }

  /** `POST <prefix>/add-checkpoint`. */
  async addCheckpoint(body: Uint8Array | string): Promise<WitnessResponse> {
    if (body.length > MAX_ADD_CHECKPOINT_BYTES) return text(413, `request body larger than ${MAX_ADD_CHECKPOINT_BYTES} bytes`);
    let decoded: string;
    try {
      decoded = typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return text(400, 'the request body is not UTF-8');
    }
    const checked = checkSubmission(decoded, this.logs);
    if (isRefusal(checked)) {
      // Origin known and signature valid is the only case worth keeping as evidence; those are refused below.
      return refusal(checked);
    }
    const { checkpoint, note } = checked;
    const outcome = await this.state.update<{ refused: AddCheckpointRefusal } | { line: string }>(checkpoint.origin, (current) => {
      const refused = checkAgainstState(checked, current);
      if (refused) return { result: { refused } };
      const timestamp = Math.floor(this.now().getTime() / 1000);
      const line = signCosignature(note.text, this.cosigner, timestamp);
      return {
        next: { origin: checkpoint.origin, treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, cosignedNote: `${checked.request.note}${line}\n`, updatedAt: this.now().toISOString() },
        result: { line },
      };
    });
    if ('refused' in outcome) {
      // The log signed this: a refusal other than a stale size may be proof of a fork.
      if (outcome.refused.status !== 409) {
        await this.state.recordRefusal({ origin: checkpoint.origin, status: outcome.refused.status, reason: outcome.refused.reason, note: checked.request.note, receivedAt: this.now().toISOString() });
      }
      return refusal(outcome.refused);
    }
    return text(200, `${outcome.line}\n`);
  }

  /** `GET <prefix>/<hex SHA-256 of origin>/checkpoint` (tlog-witness §Monitor Retrieval Mechanism). */
  async latestCheckpoint(originHash: string): Promise<WitnessResponse> {
    for (const origin of this.logs.keys()) {
      if (createHash('sha256').update(origin, 'utf8').digest('hex') !== originHash) continue;
      const state = await this.state.get(origin);
      return state ? { status: 200, contentType: 'text/plain; charset=utf-8', body: state.cosignedNote } : text(404, 'no checkpoint cosigned for this log yet');
    }
    return text(404, 'unknown log');
  }
}

function text(status: number, body: string): WitnessResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: body.endsWith('\n') ? body : `${body}\n` };
}

function refusal(r: AddCheckpointRefusal): WitnessResponse {
  if (r.status === 409) return { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${r.size}\n` };
  return text(r.status, r.reason);
}
