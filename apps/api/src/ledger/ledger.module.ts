import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CommandService } from '@radledger/domain';
import { LedgerService } from '@radledger/ledger';
import { openApplication, type Application } from '@radledger/application';
import type { AppConfig } from '../config/app.config.js';
import { logger } from '../logging/logger.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CLIENT_NAME } from '../operations/client-name.js';
import { APPLICATION, ARTIFACT_STORE, EVENT_STORE, PROJECTIONS_HOLDER, RUNTIME, type ProjectionsHolder } from './ledger.tokens.js';

/**
 * Opens the application from configuration (libs/application is the composition root) and
 * provides its parts: the event store, the artifact store, the ledger's proof service, the
 * domain command service, and the operation gateway every resolver and controller goes through.
 */
@Module({})
export class LedgerModule implements OnApplicationShutdown {
  constructor(@Inject(APPLICATION) private readonly app: Application) {}

  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: LedgerModule,
      global: true,
      providers: [
        MetricsService,
        { provide: PROJECTIONS_HOLDER, useValue: {} satisfies ProjectionsHolder },
        {
          provide: APPLICATION,
          inject: [MetricsService, PROJECTIONS_HOLDER],
          useFactory: async (metrics: MetricsService, holder: ProjectionsHolder) => {
            const app = await openApplication(
              {
                store: config.store,
                readStore: config.readStore,
                dataDir: config.dataDir,
                signingKeyPath: config.signingKeyPath,
                keyEncryptionKeyPath: config.keyEncryptionKeyPath,
                authSecretPath: config.authSecretPath,
                ...(config.oidc ? { oidc: config.oidc } : {}),
                client: CLIENT_NAME,
              },
              {
                projections: () => holder.runner,
                witnessing: () => holder.witnessing,
                observer: {
                  finished: (field, outcome, seconds, results) => metrics.finished(field, outcome, seconds, results),
                  refused: (field, code, message, target, _caller, input) => holder.alerts?.refused(field, code, message, target, input),
                },
                onVerify: (seconds, ok) => {
                  metrics.verifyDuration.observe(seconds);
                  if (!ok) holder.alerts?.verificationFailed();
                },
              },
            );
            const { runtime } = app;
            if (runtime.keyEncryptionKey.created) logger.warn({ path: runtime.keyEncryptionKey.path }, 'generated a key-encryption key for sealed free text; back it up with keys.db');
            if (runtime.signingKey.created) {
              logger.warn({ path: runtime.signingKey.path, publicKey: runtime.signingKey.verifierKey }, 'generated a development checkpoint signing key');
              process.stderr.write(
                `WARNING: generated a development checkpoint signing key at ${runtime.signingKey.path}\n` +
                  `         public key (pin it to verify checkpoints): ${runtime.signingKey.verifierKey}\n`,
              );
            }
            return app;
          },
        },
        { provide: RUNTIME, useFactory: (a: Application) => a.runtime, inject: [APPLICATION] },
        { provide: EVENT_STORE, useFactory: (a: Application) => a.runtime.store, inject: [APPLICATION] },
        { provide: ARTIFACT_STORE, useFactory: (a: Application) => a.runtime.artifacts, inject: [APPLICATION] },
        { provide: LedgerService, useFactory: (a: Application) => a.runtime.ledger, inject: [APPLICATION] },
        { provide: CommandService, useFactory: (a: Application) => a.runtime.commands, inject: [APPLICATION] },
      ],
      exports: [APPLICATION, RUNTIME, EVENT_STORE, ARTIFACT_STORE, LedgerService, CommandService, MetricsService, PROJECTIONS_HOLDER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.app.close();
  }
}
