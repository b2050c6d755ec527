import { Module, type DynamicModule } from '@nestjs/common';
import type { LedgerStore } from '@radledger/ledger';
import { openReadModelStore, ProjectionRunner, readModelProjections, type ReadModelStore } from '@radledger/projections';
import type { AppConfig } from '../config/app.config.js';
import { APP_CONFIG, EVENT_STORE } from '../ledger/ledger.tokens.js';
import { logger } from '../logging/logger.js';
import { AuditTrailResolver } from './audit-trail.resolver.js';
import { AuditReviewResolver } from './audit-review.resolver.js';
import { CommandsModule } from '../commands/commands.module.js';
import { LineageResolver } from './lineage.resolver.js';
import { MonitoringResolver } from './monitoring.resolver.js';
import { ProjectionHostService } from './projection-host.service.js';
import { ProofsResolver } from './proofs.resolver.js';
import { READ_MODEL_STORE } from './read-models.tokens.js';
import { RevealSealedTextInterceptor } from './reveal-sealed-text.interceptor.js';

/**
 * The read side: read-model store (RADLEDGER_READ_STORE), the projection runner fed by the
 * ledger's catch-up subscription, the GraphQL query resolvers, and the proof queries
 * (which read the ledger itself through LedgerService). Needs EVENT_STORE and LedgerService from
 * the global LedgerModule.
 */
@Module({})
export class ReadModelsModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      // CommandSender for the one mutation of the read side (completeAuditReview re-runs a saved query).
      imports: [CommandsModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: READ_MODEL_STORE, useFactory: (): ReadModelStore => openReadModelStore(config.readStore) },
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, READ_MODEL_STORE],
          useFactory: (ledger: LedgerStore, store: ReadModelStore) =>
            new ProjectionRunner(ledger, store, readModelProjections, {
              onError: (error) => logger.error({ err: error }, 'projection batch failed; restarting from the durable checkpoints'),
            }),
        },
        ProjectionHostService,
        RevealSealedTextInterceptor,
        LineageResolver,
        AuditTrailResolver,
        MonitoringResolver,
        AuditReviewResolver,
        ProofsResolver,
      ],
      exports: [ProjectionRunner, READ_MODEL_STORE],
    };
  }
}
