import { Module, type DynamicModule } from '@nestjs/common';
import type { Application } from '@radledger/application';
import { ProjectionRunner, readModelProjections } from '@radledger/projections';
import type { AppConfig } from '../config/app.config.js';
import { APPLICATION, PROJECTIONS_HOLDER, type ProjectionsHolder } from '../ledger/ledger.tokens.js';
import { logger } from '../logging/logger.js';
import { ProjectionHostService } from './projection-host.service.js';
import { READ_MODEL_STORE } from './read-models.tokens.js';

/**
 * The read side's writer: the projection runner fed by the ledger's catch-up subscription into
 * the application's read-model store (RADLEDGER_READ_STORE). Queries are declared operations,
 * served by the generated resolvers through the application gateway.
 */
@Module({})
export class ReadModelsModule {
  static forConfig(_config: AppConfig): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        { provide: READ_MODEL_STORE, inject: [APPLICATION], useFactory: (app: Application) => app.readModels },
        {
          provide: ProjectionRunner,
          inject: [APPLICATION, PROJECTIONS_HOLDER],
          useFactory: (app: Application, holder: ProjectionsHolder) => {
            holder.runner = new ProjectionRunner(app.runtime.store, app.readModels, readModelProjections, {
              onError: (error) => logger.error({ err: error }, 'projection batch failed; restarting from the durable checkpoints'),
            });
            return holder.runner;
          },
        },
        ProjectionHostService,
      ],
      exports: [ProjectionRunner, READ_MODEL_STORE],
    };
  }
}
