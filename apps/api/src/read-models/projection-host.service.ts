import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ProjectionRunner } from '@radledger/projections';
import { logger } from '../logging/logger.js';

/**
 * Hosts the projection runner: the live catch-up subscription starts once the application
 * has booted (tables are migrated first) and stops before the ledger and read store close.
 */
@Injectable()
export class ProjectionHostService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
    logger.info({ projections: this.runner.projections.map((p) => `${p.name}@${p.version}`) }, 'read-model projections started');
  }

  async beforeApplicationShutdown(): Promise<void> {
    // The read-model store belongs to the application, which closes it after this.
    await this.runner.stop();
  }
}
