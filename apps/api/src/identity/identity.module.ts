import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommandService } from '@radledger/domain';
import type { EventStore } from '@radledger/ledger';
import type { AppConfig } from '../config/app.config.js';
import { SignerVerification } from '../auth/signer-verification.js';
import { TokenService } from '../auth/token.service.js';
import { CommandsModule } from '../commands/commands.module.js';
import { CLIENT_NAME } from '../commands/client-name.js';
import { APP_CONFIG, EVENT_STORE } from '../ledger/ledger.tokens.js';
import { openCredentialStore } from './credential-store.factory.js';
import type { CredentialStore } from './credential-store.port.js';
import { IdentityResolver } from './identity.resolver.js';
import { IdentityService } from './identity.service.js';
import { CREDENTIAL_STORE } from './identity.tokens.js';

/**
 * The embedded identity provider: credentials in the read-model database, login and API
 * tokens over GraphQL, the password check behind e-signatures, `rlt_…` bearer tokens.
 */
@Module({
  imports: [CommandsModule],
  providers: [
    { provide: CREDENTIAL_STORE, useFactory: (config: AppConfig) => openCredentialStore(config.readStore), inject: [APP_CONFIG] },
    {
      provide: IdentityService,
      useFactory: (commands: CommandService, store: EventStore, credentials: CredentialStore, tokens: TokenService) =>
        new IdentityService({ commands, store, credentials, tokens, client: CLIENT_NAME }),
      inject: [CommandService, EVENT_STORE, CREDENTIAL_STORE, TokenService],
    },
    IdentityResolver,
  ],
  exports: [IdentityService, CREDENTIAL_STORE],
})
export class IdentityModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(IdentityService) private readonly identity: IdentityService,
    @Inject(SignerVerification) private readonly signers: SignerVerification,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(CREDENTIAL_STORE) private readonly credentials: CredentialStore,
  ) {}

  onModuleInit(): void {
    this.signers.usePasswordCheck(this.identity);
    this.tokens.useApiTokens(this.identity);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.credentials.close();
  }
}
