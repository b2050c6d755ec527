import { v5 as uuidv5 } from 'uuid';
import { ConcurrencyError, IllegalStateError, ValidationError, type Clock, type IdGenerator } from '@radledger/platform';
import type { AppendResult, EventMeta, EventStore, EventValidator, ExpectedRevision, NewEvent, RecordedEvent, StreamWrite } from '@radledger/ledger';
import type { MaskSource } from '../segmentation/mask-source.port.js';
import type { DomainEvent } from '../shared/decider.js';
import { rejectPhiInFreeText } from '../shared/guards.js';
import { sealedKeyIds, type FieldCipher, type RedactionRecord } from '../encryption/field-cipher.port.js';
import { keyScopeOf, sealFreeText } from '../encryption/free-text-fields.js';
import type { PayloadRedacted } from '../redaction/redaction.events.js';
import { upcast } from '../schemas/upcasters.js';
import { commandsByType, currentSchemaVersion, type WorkflowCommand } from '../registry.js';
import type { CommandDeclaration, FactReader, LoadedStream } from '../shared/operation.js';
import { validateInput } from './input-validation.js';
import { loadAggregate } from './load-aggregate.js';

export interface CommandMetadata {
  actor: string;
  role: string;
  onBehalfOf?: string;
  /** Why: required by the deciders for edits and corrections when the command has no `reason` field of its own. */
  reason?: string;
  correlationId: string;
  causationId?: string;
  /** Client-chosen id for idempotent retries: the same commandId yields the same event ids. */
  commandId?: string;
  /** Optimistic concurrency from the client's point of view: stale → STREAM_REVISION_CONFLICT. */
  expectedRevision?: number | 'no-stream';
  /** Software name and version of the caller. */
  client: string;
}

export interface CommandResult {
  streamId: string;
  events: RecordedEvent[];
  nextExpectedRevision: number;
  /** True when the commandId had already been recorded and the original events are returned. */
  replayed: boolean;
}

export interface CommandServiceDeps {
  store: EventStore;
  clock: Clock;
  ids: IdGenerator;
  masks: MaskSource;
  /** Checked before append as well, so a bad event fails before any I/O on the ledger. */
  validator?: EventValidator;
  /**
   * Seals free text (reasons, comments, meta.reason) with the subject's key before append, and
   * destroys keys on `PayloadRedacted` (ADR 0007). Without it, free text is stored PHI-scanned but in clear.
   */
  cipher?: FieldCipher;
}

/** RFC 9562 §5.5 name-based ids under a RadLedger namespace: the same commandId always names the same events. */
/**
 * How long a command without a client-pinned revision keeps re-deciding after lost
 * optimistic-concurrency races (another process appended to its stream first) before the
 * conflict is reported. Decide is pure and nothing was written, so a re-decision is safe.
 */
export const CONFLICT_RETRY_DEADLINE_MS = 10_000;

/** Full-jitter back-off between re-decisions: up to 2^attempt ms, capped at 100 ms. */
function backOff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(100, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const RADLEDGER_COMMAND_NAMESPACE = '3b0c6f1e-9a57-5c8e-8d3f-6c1f2f0b7a41';

/**
 * The write path: load → facts → decide → append. A plain class (the Nest CommandBus
 * handlers delegate here) so the CLI and tests use exactly the same path.
 */
export class CommandService {
  private readonly streamLocks = new Map<string, Promise<void>>();

  constructor(private readonly deps: CommandServiceDeps) {}

  async execute(command: WorkflowCommand, metadata: CommandMetadata): Promise<CommandResult> {
    const declaration = commandsByType.get(command.type);
    if (!declaration) throw new ValidationError('UNKNOWN_COMMAND', `type: no command ${JSON.stringify(String(command.type)).slice(0, 80)}`, { field: 'type' });
    validateInput(declaration.input, command.data);
    for (const key of ['actor', 'role', 'correlationId', 'client'] as const) {
      const v = metadata[key];
      if (typeof v !== 'string' || v.trim().length === 0 || v.length > 200) {
        throw new ValidationError('METADATA_INVALID', `metadata.${key}: expected a non-empty text of at most 200 characters`, { field: `metadata.${key}` });
      }
    }
    if (metadata.reason !== undefined) rejectPhiInFreeText('reason', metadata.reason);
    const derive = (name: string) => (metadata.commandId ? uuidv5(`${metadata.commandId}/${name}`, RADLEDGER_COMMAND_NAMESPACE) : this.deps.ids.newId());
    // Ids are chosen once per command, so a re-decision after a lost race reuses them.
    const data = (declaration.prepare ? declaration.prepare(command.data as never, (p) => derive(`id/${p}`)) : command.data) as never;
    const eventIds: string[] = [];
    const eventIdAt = (i: number) => (eventIds[i] ??= derive(`event/${i}`));
    const streamId = declaration.stream(data);
    // Commands on one stream queue up inside this process (no self-inflicted conflicts); a
    // race with another process is re-decided on the new state (decide is pure, nothing
    // was written). A client-pinned revision is never retried.
    const retries = metadata.expectedRevision === undefined;
    const deadline = Date.now() + CONFLICT_RETRY_DEADLINE_MS;
    return this.withStreamLock(streamId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await this.attempt(command.type, declaration, data, streamId, eventIdAt, metadata);
          await this.shredRedactedPayloads(result.events);
          return result;
        } catch (e) {
          // The record comes first, the key destruction second; a repeated request finishes a
          // destruction that an earlier crash left undone (shredding is idempotent).
          if (e instanceof IllegalStateError && e.code === 'ALREADY_REDACTED') await this.shredRedactedPayloads(await this.deps.store.readStream(streamId));
          const lostRace = e instanceof ConcurrencyError && e.code === 'STREAM_REVISION_CONFLICT' && e.details['field'] !== 'expectedRevision';
          if (!lostRace || !retries || Date.now() >= deadline) throw e;
          await backOff(attempt);
        }
      }
    });
  }

  /** ICH E6(R3): crypto-shred the keys sealing the redacted event's payload; the ledger keeps the ciphertext. */
  private async shredRedactedPayloads(events: readonly RecordedEvent[]): Promise<void> {
    const cipher = this.deps.cipher;
    if (!cipher) return;
    for (const e of events) {
      if (e.type !== 'PayloadRedacted') continue;
      const d = e.data as PayloadRedacted['data'];
      const target = await findRecordedEvent(this.deps.store, d.eventId, d.streamId);
      if (!target) continue;
      const record: RedactionRecord = {
        targetEventId: d.eventId,
        redactionEventId: e.eventId,
        justification: d.justification,
        requestedBy: d.requestedBy,
        requestedRole: d.requestedRole,
        approvedBy: d.approvedBy,
        approvedRole: d.approvedRole,
        redactedAt: e.meta.recordedAt,
      };
      await cipher.shred([...sealedKeyIds({ data: target.data, reason: target.meta.reason })], record);
    }
  }

  private async withStreamLock<T>(streamId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.streamLocks.get(streamId) ?? Promise.resolve();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const mine = previous.then(() => gate);
    this.streamLocks.set(streamId, mine);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.streamLocks.get(streamId) === mine) this.streamLocks.delete(streamId);
    }
  }

  private async attempt(
    type: WorkflowCommand['type'],
    declaration: CommandDeclaration,
    data: never,
    streamId: string,
    eventIdAt: (i: number) => string,
    metadata: CommandMetadata,
  ): Promise<CommandResult> {
    const own = await loadAggregate(this.deps.store, streamId, declaration.decider);

    if (metadata.commandId) {
      // Idempotent retry: the command's events are already in its stream → answer with the original result.
      // (A decision may record a first fact in another stream, so the own stream's first event may be the second.)
      for (let first = 0; first < 4; first++) {
        const at = own.events.findIndex((e) => e.eventId === eventIdAt(first));
        if (at < 0) continue;
        const events: RecordedEvent[] = [];
        for (let i = 0; at + i < own.events.length && own.events[at + i]!.eventId === eventIdAt(first + i); i++) events.push(own.events[at + i]!);
        return { streamId, events, nextExpectedRevision: Number(events.at(-1)!.streamRevision), replayed: true };
      }
    }
    if (metadata.expectedRevision !== undefined && metadata.expectedRevision !== own.expectedRevision) {
      throw new ConcurrencyError('STREAM_REVISION_CONFLICT', `expectedRevision: stream ${streamId} is at ${own.expectedRevision}, the command expected ${metadata.expectedRevision}`, {
        field: 'expectedRevision',
        streamId,
        expected: metadata.expectedRevision,
        actual: own.expectedRevision,
      });
    }

    const facts = declaration.facts ? await declaration.facts(data, own as LoadedStream, this.reader()) : {};
    const now = this.deps.clock.now();
    const decided = declaration.decider.decide({ type, data }, own.state, {
      actor: metadata.actor,
      role: metadata.role,
      reason: metadata.reason,
      now,
      facts,
    }) as DomainEvent[];

    const meta: EventMeta = {
      actor: metadata.actor,
      role: metadata.role,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId ?? metadata.commandId ?? metadata.correlationId,
      recordedAt: now.toISOString(),
      client: metadata.client,
    };
    if (metadata.onBehalfOf !== undefined) meta.onBehalfOf = metadata.onBehalfOf;
    const reason = metadata.reason ?? (data as { reason?: unknown }).reason;
    if (typeof reason === 'string') meta.reason = reason;

    let newEvents: NewEvent[] = decided.map((e, i) => ({
      eventId: eventIdAt(i),
      type: e.type,
      schemaVersion: currentSchemaVersion(e.type) ?? 1,
      // JSON round trip: drops undefined, turns typed arrays/objects into plain JSON data.
      data: JSON.parse(JSON.stringify(e.data)) as Record<string, unknown>,
      meta,
    }));
    // The deciders scanned the plaintext for PHI; the ledger (and its hash chain) only ever sees the sealed text.
    const cipher = this.deps.cipher;
    if (cipher) newEvents = await Promise.all(newEvents.map((e) => sealFreeText(e, keyScopeOf(e, own.events[0]), cipher)));
    if (this.deps.validator) for (const e of newEvents) this.deps.validator(e);
    const writes = streamWrites(streamId, own.expectedRevision as ExpectedRevision, decided, newEvents);
    if (writes.length === 1) {
      const result = await this.deps.store.append(streamId, own.expectedRevision as ExpectedRevision, newEvents);
      return { streamId, events: result.events, nextExpectedRevision: result.nextExpectedRevision, replayed: false };
    }
    // One decision, several aggregates (a lock and its approval): appended in one transaction.
    const results = this.deps.store.appendMany ? await this.deps.store.appendMany(writes) : await appendInTurn(this.deps.store, writes);
    const ownResult = results[writes.findIndex((w) => w.streamId === streamId)]!;
    return { streamId, events: results.flatMap((r) => r.events).sort((a, b) => Number(a.globalPosition) - Number(b.globalPosition)), nextExpectedRevision: ownResult.nextExpectedRevision, replayed: false };
  }

  private reader(): FactReader {
    const store = this.deps.store;
    return {
      load: (streamId, decider) => loadAggregate(store, streamId, decider as never) as never,
      findEvent: (eventId, streamId) => findRecordedEvent(store, eventId, streamId),
      loadMask: (sha256) => this.deps.masks.loadMask(sha256),
    };
  }
}

/** Find a recorded event by id: by its stream when given, through the store's index when it has one, else by a scan. */
export async function findRecordedEvent(store: EventStore, eventId: string, streamId?: string): Promise<RecordedEvent | undefined> {
  if (streamId !== undefined) {
    const e = (await store.readStream(streamId)).find((x) => x.eventId === eventId);
    return e ? upcast(e) : undefined;
  }
  const indexed = store as EventStore & { findEvent?(id: string): Promise<RecordedEvent | undefined> };
  if (typeof indexed.findEvent === 'function') {
    const e = await indexed.findEvent(eventId);
    return e ? upcast(e) : undefined;
  }
  const PAGE = 1000;
  for (let from = 0; ; from += PAGE) {
    const page = await store.readAll(from, PAGE);
    const e = page.find((x) => x.eventId === eventId);
    if (e) return upcast(e);
    if (page.length < PAGE) return undefined;
  }
}

/** The decided events grouped by the stream each goes to, in decision order of first appearance. */
function streamWrites(ownStream: string, ownRevision: ExpectedRevision, decided: readonly DomainEvent[], events: readonly NewEvent[]): StreamWrite[] {
  const writes: StreamWrite[] = [];
  decided.forEach((d, i) => {
    const target = d.stream ? { streamId: d.stream.id, expectedRevision: d.stream.expectedRevision as ExpectedRevision } : { streamId: ownStream, expectedRevision: ownRevision };
    let write = writes.find((w) => w.streamId === target.streamId);
    if (!write) writes.push((write = { ...target, events: [] }));
    (write.events as NewEvent[]).push(events[i]!);
  });
  return writes;
}

/**
 * For a store without `appendMany`: every write in turn, each with its expected revision. Every
 * gate has passed by now; a failure part-way leaves the earlier writes (which the retry of the
 * same command then finds and replays).
 */
async function appendInTurn(store: EventStore, writes: readonly StreamWrite[]): Promise<AppendResult[]> {
  const results: AppendResult[] = [];
  for (const w of writes) results.push(await store.append(w.streamId, w.expectedRevision, w.events));
  return results;
}
