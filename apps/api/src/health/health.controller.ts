import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { EventStore } from '@radledger/ledger';
import { DeclaredRoute } from '../auth/auth.decorators.js';
import { EVENT_STORE } from '../ledger/ledger.tokens.js';

@Controller()
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @DeclaredRoute('GET /health')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: the ledger answers. */
  @Get('ready')
  @DeclaredRoute('GET /ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      async (): Promise<HealthIndicatorResult> => {
        const head = await this.store.head();
        return { ledger: { status: 'up', size: head.size } };
      },
    ]);
  }
}
