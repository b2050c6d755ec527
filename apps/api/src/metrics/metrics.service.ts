import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one API process (issue 9: appends, projection lag, verify duration, decisions). */
@Injectable()
export class MetricsService {
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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'radledger_' });
  }
}
