import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommandResult } from '@radledger/domain';
import type { OperationObserver } from '@radledger/application';

/** Prometheus metrics of one API process (issue 9: appends, projection lag, verify duration, decisions). */
@Injectable()
export class MetricsService implements OperationObserver {
  readonly registry = new Registry();
  readonly appendedEvents = new Counter({
    name: 'radledger_appended_events_total',
    help: 'Events appended to the ledger by this process, by event type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  readonly commandDuration = new Histogram({
    name: 'radledger_command_duration_seconds',
    help: 'Time from command received to events appended',
    labelNames: ['command', 'outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  readonly verifyDuration = new Histogram({
    name: 'radledger_verify_duration_seconds',
    help: 'Duration of full-ledger verifications',
    buckets: [0.01, 0.1, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
  readonly decisions = new Counter({
    name: 'radledger_decisions_total',
    help: 'Model decisions recorded, by model id and version',
    labelNames: ['model', 'version'],
    registers: [this.registry],
  });
  readonly projectionLag = new Gauge({
    name: 'radledger_projection_lag_events',
    help: 'Ledger head minus the projection checkpoint, per projection',
    labelNames: ['projection'],
    registers: [this.registry],
  });

  /** Issue 14: events appended since the newest checkpoint each witness cosigned (read at scrape time). */
  readonly witnessLag = new Gauge({
    name: 'radledger_witness_lag_events',
    help: 'Ledger head minus the size of the newest checkpoint the witness cosigned, per witness',
    labelNames: ['witness'],
    registers: [this.registry],
  });
  readonly witnessCosignedSize = new Gauge({
    name: 'radledger_witness_cosigned_tree_size',
    help: 'Size of the newest checkpoint the witness cosigned, per witness',
    labelNames: ['witness'],
    registers: [this.registry],
  });
  readonly witnessSubmissions = new Counter({
    name: 'radledger_witness_submissions_total',
    help: 'Checkpoint submissions to witnesses by outcome (cosigned, unreachable, refused, fork, bad-response)',
    labelNames: ['witness', 'outcome'],
    registers: [this.registry],
  });
  /** A witness refused a checkpoint as inconsistent with what it cosigned before: the ledger's history changed. */
  readonly witnessForkAlarms = new Counter({
    name: 'radledger_witness_fork_alarms_total',
    help: 'Checkpoints a witness refused as inconsistent with the history it cosigned before (fork alarm)',
    labelNames: ['witness'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'radledger_' });
  }

  /** Every mutation through the gateway: its duration and outcome, the events it appended, decisions by model version. */
  finished(field: string, outcome: string, seconds: number, results: readonly CommandResult[]): void {
    this.commandDuration.observe({ command: field, outcome }, seconds);
    for (const result of results) {
      if (result.replayed) continue;
      for (const event of result.events) {
        this.appendedEvents.inc({ type: event.type });
        if (event.type === 'ModelDecisionMade') {
          const data = event.data as { modelId?: string; modelVersion?: string };
          this.decisions.inc({ model: data.modelId ?? '?', version: data.modelVersion ?? '?' });
        }
      }
    }
  }
}
