import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ProjectionRunner } from '@radledger/projections';
import { Public } from '../auth/auth.decorators.js';
import { logger } from '../logging/logger.js';
import { MetricsService } from './metrics.service.js';

@Controller()
export class MetricsController {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
  ) {}

  /** Prometheus scrape endpoint; carries counts only, no trial data. */
  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    await this.refreshProjectionLag();
    return this.metrics.registry.metrics();
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
