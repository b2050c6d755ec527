import { setTimeout as delay } from 'node:timers/promises';
import {
  keyLabel,
  parseNoteSignatureLine,
  parseSignedCheckpoint,
  verifySignedCheckpoint,
  type Checkpoint,
  type CheckpointSigner,
  type CheckpointVerifier,
  type LedgerService,
} from '@radledger/ledger';
import { isCosignatureBy, verifyCosignature, type CosignatureVerifier } from '../core/cosignature.js';
import type { CosignatureStore, WitnessAlarmRecord } from '../cosignature-store.port.js';
import { FetchWitnessClient, type WitnessClient, type WitnessReply } from '../adapters/witness-http.client.js';
import { TLOG_SIZE_CONTENT_TYPE } from '../witness.service.js';
import type { CheckpointTimestamper } from '../timestamp/timestamper.port.js';

/** One configured witness: its submission prefix and its cosignature/v1 key (`RADLEDGER_WITNESSES=<url>=<vkey>,...`). */
export interface WitnessEndpoint {
  url: string;
  verifier: CosignatureVerifier;
}

export interface RetryOptions {
  /** Tries per checkpoint and witness for network failures and 5xx (default 4). */
  attempts: number;
  /** First back-off; doubled after each failure, with jitter (default 250 ms). */
  baseMs: number;
  /** Longest back-off (default 30 s). */
  maxMs: number;
}

/** pino-compatible. */
export interface CheckpointerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export type WitnessOutcome = 'cosigned' | 'refused' | 'fork' | 'unreachable' | 'bad-response';

export interface CheckpointerOptions {
  ledger: LedgerService;
  signer: CheckpointSigner & CheckpointVerifier;
  witnesses: WitnessEndpoint[];
  store: CosignatureStore;
  /** Sign a checkpoint once this many events were appended since the last one (RADLEDGER_CHECKPOINT_EVERY, default 1000). */
  every?: number;
  /** ...or once this long has passed with at least one new event (default 60 s). */
  intervalMs?: number;
  /** How often the head is looked at while running (default 1 s). */
  pollMs?: number;
  retry?: Partial<RetryOptions>;
  client?: WitnessClient;
  /** RFC 3161 timestamps of each checkpoint (RADLEDGER_TSA_URL). */
  timestamper?: CheckpointTimestamper;
  log?: CheckpointerLog;
  /** Called after each witness answer (metrics). */
  onOutcome?: (witness: WitnessEndpoint, outcome: WitnessOutcome, checkpoint: Checkpoint) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export interface WitnessStatus {
  witness: string;
  key: string;
  url: string;
  /** Size of the latest checkpoint this witness cosigned (as far as the ledger knows), 0 if none. */
  cosignedSize: number;
  /** Events appended since that checkpoint. */
  lag: number;
  consecutiveFailures: number;
  lastError?: string;
  lastCosignedAt?: string;
}

interface WitnessState {
  endpoint: WitnessEndpoint;
  /** undefined until known (from the store or a 409). */
  size: number | undefined;
  failures: number;
  nextAttemptAt: number;
  lastError?: string;
  lastCosignedAt?: string;
}

const SILENT: CheckpointerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The ledger side of witnessing: signs a checkpoint every N events or T seconds, sends it to
 * every witness with the consistency proof from that witness's last cosigned size
 * (tlog-witness §add-checkpoint), stores each cosignature beside the checkpoint, and
 * retries unreachable witnesses with exponential back-off. A 409 teaches it the witness's
 * size; a 422 is a fork alarm (the witness holds a history this ledger no longer extends):
 * stored, logged at error level and reported through `onOutcome`. Appends never wait for it.
 */
export class Checkpointer {
  private readonly states: WitnessState[];
  private readonly retry: RetryOptions;
  private readonly client: WitnessClient;
  private readonly log: CheckpointerLog;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private lastCheckpointAt = 0;
  private initialised: Promise<void> | undefined;

  constructor(private readonly options: CheckpointerOptions) {
    this.states = options.witnesses.map((endpoint) => ({ endpoint, size: undefined, failures: 0, nextAttemptAt: 0 }));
    this.retry = { attempts: options.retry?.attempts ?? 4, baseMs: options.retry?.baseMs ?? 250, maxMs: options.retry?.maxMs ?? 30_000 };
    this.client = options.client ?? new FetchWitnessClient();
    this.log = options.log ?? SILENT;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => delay(ms));
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Stops the loop and waits for a round in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One look at the head: checkpoint if due, else retry witnesses that are behind once their back-off has passed. */
  async tick(): Promise<void> {
    if (this.running) return;
    const round = this.round();
    this.running = round;
    try {
      await round;
    } catch (error) {
      this.log.error({ err: error }, 'checkpointer round failed');
    } finally {
      this.running = undefined;
    }
  }

  private async round(): Promise<void> {
    await this.init();
    const { size } = await this.options.ledger.store.head();
    const latest = await this.options.ledger.store.latestCheckpoint();
    const since = size - (latest?.treeSize ?? 0);
    const every = this.options.every ?? 1000;
    const interval = this.options.intervalMs ?? 60_000;
    if (since > 0 && (since >= every || this.now().getTime() - this.lastCheckpointAt >= interval)) {
      await this.checkpointNow();
      return;
    }
    if (latest) {
      const due = this.states.filter((s) => (s.size ?? -1) < latest.treeSize && s.nextAttemptAt <= this.now().getTime());
      if (due.length > 0) await this.witness(latest.note, due);
    }
  }

  /**
   * Signs a checkpoint of the current head (or reuses the latest one when no event came
   * since), timestamps it if a TSA is configured, and asks every witness to cosign it.
   */
  async checkpointNow(): Promise<{ checkpoint: Checkpoint; note: string; outcomes: Map<string, WitnessOutcome> }> {
    await this.init();
    const { ledger, signer } = this.options;
    const { size } = await ledger.store.head();
    const latest = await ledger.store.latestCheckpoint();
    let note: string;
    if (latest && latest.treeSize === size && signedBy(latest.note, signer)) note = latest.note;
    else note = (await ledger.issueCheckpoint(signer)).note;
    this.lastCheckpointAt = this.now().getTime();
    const checkpoint = parseSignedCheckpoint(note).checkpoint;
    if (this.options.timestamper) await this.timestamp(note, checkpoint);
    const outcomes = await this.witness(note, this.states);
    return { checkpoint, note, outcomes };
  }

  /** Per witness: what the ledger knows of its cosigned size and how far behind the head it is (for /metrics). */
  async status(): Promise<WitnessStatus[]> {
    await this.init();
    const { size } = await this.options.ledger.store.head();
    return this.states.map((s) => ({
      witness: s.endpoint.verifier.name,
      key: keyLabel(s.endpoint.verifier.name, s.endpoint.verifier.keyId),
      url: s.endpoint.url,
      cosignedSize: s.size ?? 0,
      lag: size - (s.size ?? 0),
      consecutiveFailures: s.failures,
      ...(s.lastError ? { lastError: s.lastError } : {}),
      ...(s.lastCosignedAt ? { lastCosignedAt: s.lastCosignedAt } : {}),
    }));
  }

  /** The last cosigned size per witness comes from the stored cosignatures, so a restart resumes where it stopped. */
  private init(): Promise<void> {
    this.initialised ??= (async () => {
      for (const r of await this.options.store.listCosignatures()) {
        for (const s of this.states) {
          if (s.endpoint.verifier.name === r.witness && s.endpoint.verifier.keyId === r.keyId && r.treeSize >= (s.size ?? 0)) {
            s.size = r.treeSize;
            s.lastCosignedAt = r.receivedAt;
          }
        }
      }
    })();
    return this.initialised;
  }

  private async witness(note: string, states: WitnessState[]): Promise<Map<string, WitnessOutcome>> {
    const checkpoint = parseSignedCheckpoint(note).checkpoint;
    const results = await Promise.all(states.map(async (s) => [s.endpoint.verifier.name, await this.submit(s, note, checkpoint)] as const));
    return new Map(results);
  }

  private async submit(state: WitnessState, note: string, checkpoint: Checkpoint): Promise<WitnessOutcome> {
    const { endpoint } = state;
    const text = parseSignedCheckpoint(note).body;
    let conflicts = 0;
    for (let attempt = 0; ; ) {
      const old = state.size ?? 0;
      if (old > checkpoint.treeSize) {
        return this.alarm(state, checkpoint, 409, `the witness has cosigned size ${old}, beyond this checkpoint's ${checkpoint.treeSize}: the ledger lost events it once had`, 'fork');
      }
      const proof = old > 0 && old < checkpoint.treeSize ? (await this.options.ledger.proveConsistency(old, checkpoint.treeSize)).proof.map((h) => Buffer.from(h, 'hex')) : [];
      const reply = await this.client.addCheckpoint(endpoint.url, { oldSize: old, proof, note });
      if (reply.status === 200) return this.accept(state, note, text, checkpoint, reply);
      if (reply.status === 409) {
        const known = reply.contentType.startsWith(TLOG_SIZE_CONTENT_TYPE) && /^(0|[1-9][0-9]*)\n$/.test(reply.body) ? Number(reply.body.trim()) : undefined;
        if (known !== undefined && known !== old && ++conflicts <= 3) {
          state.size = known;
          continue;
        }
        return this.fail(state, checkpoint, `409 without a usable size (${JSON.stringify(reply.body.slice(0, 80))})`, 'bad-response');
      }
      if (reply.status === 422) return this.alarm(state, checkpoint, 422, reply.body.trim(), 'fork');
      if (reply.status === 400 || reply.status === 403 || reply.status === 404) return this.alarm(state, checkpoint, reply.status, reply.body.trim(), 'refused');
      // Network failure, 5xx or anything unexpected: back off and try again.
      state.lastError = reply.status === 0 ? reply.body : `HTTP ${reply.status}: ${reply.body.trim().slice(0, 200)}`;
      attempt++;
      if (attempt >= this.retry.attempts) return this.fail(state, checkpoint, state.lastError, 'unreachable');
      await this.sleep(this.backoff(attempt));
    }
  }

  private async accept(state: WitnessState, note: string, text: string, checkpoint: Checkpoint, reply: WitnessReply): Promise<WitnessOutcome> {
    const { verifier } = state.endpoint;
    const lines = reply.body.endsWith('\n') ? reply.body.slice(0, -1).split('\n') : [];
    for (const raw of lines) {
      let line;
      try {
        line = parseNoteSignatureLine(raw);
      } catch {
        continue;
      }
      // tlog-witness: "The client MUST ignore any cosignatures from unknown keys."
      if (!isCosignatureBy(line, verifier)) continue;
      let verified;
      try {
        verified = verifyCosignature(text, line, verifier);
      } catch (error) {
        return this.fail(state, checkpoint, (error as Error).message, 'bad-response');
      }
      await this.options.store.addCosignature({
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash,
        note,
        witness: verifier.name,
        keyId: verifier.keyId,
        line: verified.line,
        cosignedAt: verified.timestamp,
        receivedAt: this.now().toISOString(),
      });
      state.size = checkpoint.treeSize;
      state.failures = 0;
      state.nextAttemptAt = 0;
      state.lastError = undefined;
      state.lastCosignedAt = this.now().toISOString();
      this.options.onOutcome?.(state.endpoint, 'cosigned', checkpoint);
      return 'cosigned';
    }
    return this.fail(state, checkpoint, `200 without a cosignature by ${keyLabel(verifier.name, verifier.keyId)}`, 'bad-response');
  }

  private async alarm(state: WitnessState, checkpoint: Checkpoint, status: number, reason: string, outcome: 'fork' | 'refused'): Promise<WitnessOutcome> {
    const record: WitnessAlarmRecord = { witness: state.endpoint.verifier.name, url: state.endpoint.url, treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, status, reason, at: this.now().toISOString() };
    await this.options.store.addAlarm(record);
    state.lastError = `${status}: ${reason}`;
    state.failures++;
    state.nextAttemptAt = this.now().getTime() + this.backoff(state.failures);
    this.log.error(
      { witness: record.witness, url: record.url, treeSize: record.treeSize, rootHash: record.rootHash, status, reason, alarm: outcome === 'fork' ? 'fork' : 'refused' },
      outcome === 'fork'
        ? `FORK ALARM: witness ${record.witness} refuses checkpoint ${checkpoint.treeSize} as inconsistent with what it cosigned before`
        : `witness ${record.witness} refuses checkpoint ${checkpoint.treeSize} (HTTP ${status}): check its --log key and origin`,
    );
    this.options.onOutcome?.(state.endpoint, outcome, checkpoint);
    return outcome;
  }

  private fail(state: WitnessState, checkpoint: Checkpoint, reason: string, outcome: 'unreachable' | 'bad-response'): WitnessOutcome {
    state.lastError = reason;
    state.failures++;
    state.nextAttemptAt = this.now().getTime() + this.backoff(state.failures);
    this.log.warn({ witness: state.endpoint.verifier.name, url: state.endpoint.url, treeSize: checkpoint.treeSize, failures: state.failures, reason }, `witness ${state.endpoint.verifier.name} did not cosign checkpoint ${checkpoint.treeSize}`);
    this.options.onOutcome?.(state.endpoint, outcome, checkpoint);
    return outcome;
  }

  /** Exponential back-off with ±25 % jitter, capped. */
  private backoff(failures: number): number {
    const base = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** Math.max(0, failures - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  private async timestamp(note: string, checkpoint: Checkpoint): Promise<void> {
    const stamper = this.options.timestamper!;
    try {
      const text = parseSignedCheckpoint(note).body;
      const { token, nonce } = await stamper.stamp(Buffer.from(text, 'utf8'));
      await this.options.store.addTimestamp({ treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, note, token: Buffer.from(token).toString('base64'), nonce: nonce.toString(), tsaUrl: stamper.url, receivedAt: this.now().toISOString() });
    } catch (error) {
      this.log.error({ err: error, tsa: stamper.url, treeSize: checkpoint.treeSize }, `RFC 3161 timestamp of checkpoint ${checkpoint.treeSize} failed`);
    }
  }
}

function signedBy(note: string, signer: CheckpointVerifier): boolean {
  try {
    verifySignedCheckpoint(note, signer);
    return true;
  } catch {
    return false;
  }
}
