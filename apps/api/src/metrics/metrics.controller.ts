import { Controller, Get, Header, Inject, Optional, Req } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Checkpointer } from '@radledger/witness';
import { ProjectionRunner } from '@radledger/projections';
import { AuthenticationError } from '@radledger/application';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG } from '../ledger/ledger.tokens.js';
import { DeclaredRoute } from '../auth/auth.decorators.js';
import { logger } from '../logging/logger.js';
import { MetricsService } from './metrics.service.js';
import { CHECKPOINTER } from '../witness/witnessing.module.js';

@Controller()
export class MetricsController {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(CHECKPOINTER) private readonly checkpointer: Checkpointer | null = null,
  ) {}

  /**
   * Prometheus scrape endpoint; carries counts only, no trial data. With RADLEDGER_METRICS_TOKEN
   * set (required in production unless metrics are served on their own port) the scraper must
   * present it as a bearer token.
   */
  @Get('metrics')
  @DeclaredRoute('GET /metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(@Req() req: Request): Promise<string> {
    this.checkScraper(req);
    await this.refreshProjectionLag();
    await this.refreshWitnessLag();
    return this.metrics.registry.metrics();
  }

  private checkScraper(req: Request): void {
    const expected = this.config.metricsToken;
    if (expected === undefined) {
      if (this.config.production && this.config.metricsPort === undefined) throw new AuthenticationError('metrics: set RADLEDGER_METRICS_TOKEN or RADLEDGER_METRICS_PORT in production');
      return;
    }
    const given = /^Bearer\s+(\S+)$/i.exec(String(req.headers['authorization'] ?? ''))?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AuthenticationError('metrics: send Authorization: Bearer <RADLEDGER_METRICS_TOKEN>');
  }

  /** Issue 14: per witness, events appended since the newest checkpoint it cosigned. */
  private async refreshWitnessLag(): Promise<void> {
    if (!this.checkpointer) return;
    try {
      for (const w of await this.checkpointer.status()) {
        this.metrics.witnessLag.set({ witness: w.witness }, w.lag);
        this.metrics.witnessCosignedSize.set({ witness: w.witness }, w.cosignedSize);
      }
    } catch (error) {
      logger.warn({ err: error }, 'witness lag not readable for /metrics');
    }
  }

  /** Lag is read from the durable checkpoints at scrape time, so it is never older than the scrape. */
  private async refreshProjectionLag(): Promise<void> {
    try {
      for (const p of await this.projections.lag()) this.metrics.projectionLag.set({ projection: p.projection }, p.lag);
    } catch (error) {
      // A read-store outage must not hide the other metrics; the stale gauge stays, the log says why.
      logger.warn({ err: error }, 'projection lag not readable for /metrics');
    }
  }
}
