import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CommandService } from '@radledger/domain';
import { LedgerService } from '@radledger/ledger';
import { openRuntime, type Runtime } from '@radledger/runtime';
import type { AppConfig } from '../config/app.config.js';
import { logger } from '../logging/logger.js';
import { ARTIFACT_STORE, EVENT_STORE, RUNTIME } from './ledger.tokens.js';

/**
 * Provides the ports from configuration (libs/runtime is the composition root): the event
 * store, the artifact store, the ledger's proof service and the domain command service.
 */
@Module({})
export class LedgerModule implements OnApplicationShutdown {
  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {}

  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: LedgerModule,
      global: true,
      providers: [
        {
          provide: RUNTIME,
          useFactory: async () => {
            const runtime = await openRuntime({ store: config.store, dataDir: config.dataDir, signingKeyPath: config.signingKeyPath, keyEncryptionKeyPath: config.keyEncryptionKeyPath });
            if (runtime.keyEncryptionKey.created) {
              logger.warn({ path: runtime.keyEncryptionKey.path }, 'generated a key-encryption key for sealed free text; back it up with keys.db');
            }
            if (runtime.signingKey.created) {
              logger.warn({ path: runtime.signingKey.path, publicKey: runtime.signingKey.verifierKey }, 'generated a development checkpoint signing key');
              process.stderr.write(
                `WARNING: generated a development checkpoint signing key at ${runtime.signingKey.path}\n` +
                  `         public key (pin it to verify checkpoints): ${runtime.signingKey.verifierKey}\n`,
              );
            }
            return runtime;
          },
        },
        { provide: EVENT_STORE, useFactory: (r: Runtime) => r.store, inject: [RUNTIME] },
        { provide: ARTIFACT_STORE, useFactory: (r: Runtime) => r.artifacts, inject: [RUNTIME] },
        { provide: LedgerService, useFactory: (r: Runtime) => r.ledger, inject: [RUNTIME] },
        { provide: CommandService, useFactory: (r: Runtime) => r.commands, inject: [RUNTIME] },
      ],
      exports: [RUNTIME, EVENT_STORE, ARTIFACT_STORE, LedgerService, CommandService],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}
