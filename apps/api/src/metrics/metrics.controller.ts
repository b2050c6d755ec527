import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Public } from '../auth/auth.decorators.js';
import { MetricsService } from './metrics.service.js';

@Controller()
export class MetricsController {
  constructor(@Inject(MetricsService) private readonly metrics: MetricsService) {}

  /** Prometheus scrape endpoint; carries counts only, no trial data. */
  @Get('metrics')
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
