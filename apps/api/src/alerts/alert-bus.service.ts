import { randomUUID, createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import type { RecordedEvent, Subscription } from '@radledger/ledger';
import type { Application } from '@radledger/application';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG, APPLICATION, PROJECTIONS_HOLDER, type ProjectionsHolder } from '../ledger/ledger.tokens.js';
import { logger } from '../logging/logger.js';
import type { MonitorAlert } from './monitor-alert.model.js';

type Listener = (alert: MonitorAlert) => void;

/** Ledger facts a monitor is alerted to, as alerts (one per trial a retirement unlocks). */
export function alertsFromEvent(event: RecordedEvent): MonitorAlert[] {
  const data = event.data as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const base = { eventId: event.eventId, globalPosition: Number(event.globalPosition), at: event.meta.recordedAt, code: null, subjectId: null, modelId: null, modelVersion: null };
  switch (event.type) {
    case 'ProtocolDeviationDetected': {
      const deviations = (data['deviations'] as Array<{ field: string; expected: unknown; actual: unknown }> | undefined) ?? [];
      const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
      const what = deviations.map((d) => `${d.field} ${text(d.actual)} (expected ${text(d.expected)})`).join('; ');
      return [{ ...base, alertId: event.eventId, kind: 'PROTOCOL_DEVIATION', trialId: str(data['trialId']), siteId: str(data['siteId']), message: `Acquisition ${str(data['imageId']) ?? ''} outside protocol ${str(data['protocolId']) ?? ''}: ${what}` }];
    }
    case 'ModelLocked':
      return [
        {
          ...base,
          alertId: event.eventId,
          kind: 'MODEL_LOCKED',
          trialId: str(data['trialId']),
          siteId: null,
          modelId: str(data['modelId']),
          modelVersion: str(data['version']),
          message: `${str(data['modelId'])}@${str(data['version'])} locked${data['supersedesVersion'] ? ` (supersedes ${String(data['supersedesVersion'])})` : ''} by ${event.meta.actor}`,
        },
      ];
    case 'ModelRetired':
      return ((data['unlockedTrialIds'] as string[] | undefined) ?? []).map((trialId) => ({
        ...base,
        alertId: `${event.eventId}:${trialId}`,
        kind: 'MODEL_RETIRED' as const,
        trialId,
        siteId: null,
        modelId: str(data['modelId']),
        modelVersion: str(data['version']),
        message: `${str(data['modelId'])}@${str(data['version'])} retired: ${str(data['reason']) ?? ''}`,
      }));
    default:
      return [];
  }
}

/** Commands whose refusal a monitor is alerted to. */
const WATCHED_REFUSALS = new Set(['makeDecision', 'makeDecisions']);

/**
 * The monitors' alert feed of this API process (ADR 0015). Ledger facts come from the ledger's
 * own catch-up subscription, started at the head when the first client subscribes: in-process
 * on SQLite, and on PostgreSQL woken by LISTEN/NOTIFY on the append channel, so an append through
 * any replica reaches the subscribers of every replica. Refusals and verification failures
 * append nothing: they are published here and, on PostgreSQL, sent to the other replicas with
 * NOTIFY on an alert channel of the schema.
 */
@Injectable()
export class AlertBus implements OnModuleDestroy {
  private readonly listeners = new Set<Listener>();
  /** Who waits for a number of listeners whose feeds are running (whenListening). */
  private readonly waiting = new Set<{ count: number; resolve: () => void }>();
  private ready = 0;
  private ledgerFeed: Promise<Subscription> | undefined;
  private readonly origin = randomUUID();
  private peers: Promise<pg.Client | undefined> | undefined;
  private readonly channel: string | undefined;
  private readonly connection: { connectionString: string } | undefined;
  private closed = false;

  constructor(
    @Inject(APPLICATION) private readonly app: Application,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PROJECTIONS_HOLDER) holder: ProjectionsHolder,
  ) {
    holder.alerts = this;
    if (/^postgres(ql)?:/.test(config.store)) {
      const url = new URL(config.store);
      const schema = url.searchParams.get('schema') ?? 'radledger';
      url.searchParams.delete('schema');
      this.connection = { connectionString: url.toString() };
      this.channel = `radledger_alerts_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
    }
  }

  /** Starts the feeds if needed; answers when alerts recorded from now on will reach `listener`. */
  async listen(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    await this.start();
    this.ready++;
    for (const w of this.waiting) if (this.ready >= w.count) (this.waiting.delete(w), w.resolve());
    return () => {
      if (this.listeners.delete(listener)) this.ready--;
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Resolves once `count` listeners are subscribed with their feeds running: nothing recorded after that is missed. */
  whenListening(count: number): Promise<void> {
    if (this.ready >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiting.add({ count, resolve }));
  }

  /** A refused command (OperationObserver.refused): alerts for decisions refused by the locked-model checks. */
  refused(field: string, code: string, message: string, target: { trialIds: readonly string[]; siteId?: string }, input: Readonly<Record<string, unknown>>): void {
    if (!WATCHED_REFUSALS.has(field)) return;
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    for (const trialId of target.trialIds.length > 0 ? target.trialIds : [null]) {
      this.publish({
        alertId: randomUUID(),
        kind: 'DECISION_REFUSED',
        trialId,
        siteId: target.siteId ?? null,
        subjectId: str(input['subjectId']),
        modelId: str(input['modelId']),
        modelVersion: str(input['modelVersion']),
        code,
        message,
        eventId: null,
        globalPosition: null,
        at: new Date().toISOString(),
      });
    }
  }

  /** verifyLedger answered ok: false (ApplicationHooks.onVerify). */
  verificationFailed(): void {
    this.publish({ alertId: randomUUID(), kind: 'VERIFICATION_FAILED', trialId: null, siteId: null, subjectId: null, modelId: null, modelVersion: null, code: 'LEDGER_VERIFICATION_FAILED', message: 'verifyLedger found a stored event, link, Merkle root or checkpoint signature that does not verify', eventId: null, globalPosition: null, at: new Date().toISOString() });
  }

  /** A witness answered a checkpoint with a fork alarm (the checkpointer's 409 beyond our size or 422). */
  witnessFork(witness: string, treeSize: number, rootHash: string): void {
    this.publish({
      alertId: randomUUID(),
      kind: 'WITNESS_FORK',
      trialId: null,
      siteId: null,
      subjectId: null,
      modelId: null,
      modelVersion: null,
      code: 'WITNESS_FORK_ALARM',
      message: `witness ${witness} refuses checkpoint ${treeSize} (root ${rootHash.slice(0, 16)}…) as inconsistent with what it cosigned before: the ledger no longer extends the history the witness saw`,
      eventId: null,
      globalPosition: null,
      at: new Date().toISOString(),
    });
  }

  private publish(alert: MonitorAlert): void {
    this.deliver(alert);
    if (this.channel && this.connection) {
      void this.peerClient().then((client) => client?.query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify({ origin: this.origin, alert })]).catch(() => undefined));
    }
  }

  private deliver(alert: MonitorAlert): void {
    for (const listener of this.listeners) listener(alert);
  }

  private async start(): Promise<void> {
    this.ledgerFeed ??= (async () => {
      const store = this.app.runtime.store;
      const { size } = await store.head();
      return store.subscribe(size, (event) => {
        if (this.listeners.size === 0) return;
        for (const alert of alertsFromEvent(event)) this.deliver(alert);
      });
    })();
    await this.ledgerFeed;
    if (this.channel) await this.peerClient();
  }

  private peerClient(): Promise<pg.Client | undefined> {
    this.peers ??= (async () => {
      const client = new pg.Client(this.connection);
      client.on('error', (error) => {
        logger.warn({ err: error }, 'alert channel connection lost; refusals from other replicas are not relayed until the next subscriber');
        this.peers = undefined;
      });
      client.on('notification', (message) => {
        try {
          const { origin, alert } = JSON.parse(message.payload ?? '') as { origin: string; alert: MonitorAlert };
          if (origin !== this.origin) this.deliver(alert);
        } catch {
          // not ours
        }
      });
      try {
        await client.connect();
        await client.query(`LISTEN "${this.channel}"`);
        if (this.closed) await client.end();
        return client;
      } catch (error) {
        logger.warn({ err: error }, 'alert channel: LISTEN failed; refusals are delivered on this replica only');
        this.peers = undefined;
        await client.end().catch(() => undefined);
        return undefined;
      }
    })();
    return this.peers;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const feed = await this.ledgerFeed?.catch(() => undefined);
    await feed?.close().catch(() => undefined);
    const client = await this.peers;
    await client?.end().catch(() => undefined);
  }
}
