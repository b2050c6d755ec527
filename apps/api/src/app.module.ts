import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DomainErrorFilter } from './graphql/domain-error.filter.js';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { TerminusModule } from '@nestjs/terminus';
import { join } from 'node:path';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { AppConfig } from './config/app.config.js';
import { AuthGuard } from './auth/auth.guard.js';
import { TokenService } from './auth/token.service.js';
import { formatGraphqlError } from './graphql/format-error.js';
import { graphqlValidationRules, queryCostPlugin } from './graphql/graphql-limits.js';
import { HealthController } from './health/health.controller.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { ReadModelsModule } from './read-models/read-models.module.js';
import { APP_CONFIG } from './ledger/ledger.tokens.js';
import { logger } from './logging/logger.js';
import { SessionResolver } from './session/session.resolver.js';
import { CommandsModule } from './commands/commands.module.js';
import { ArtifactsController } from './artifacts/artifacts.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { IdentityModule } from './identity/identity.module.js';
import { SecurityModule } from './security/security.module.js';
import { DossierModule } from './dossier/dossier.module.js';

/** Wiring only: every behaviour lives in libs/ and in the feature modules imported here. */
@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        TerminusModule,
        LedgerModule.forConfig(config),
        ReadModelsModule.forConfig(config),
        SecurityModule.forConfig(config),
        CommandsModule,
        IdentityModule,
        DossierModule,
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: config.development ? join(process.cwd(), 'schemas/graphql/schema.gql') : true,
          sortSchema: true,
          playground: false,
          graphiql: false,
          introspection: true,
          includeStacktraceInErrorResponses: false,
          validationRules: graphqlValidationRules,
          // Apollo Sandbox only in development (issue 4 §6); elsewhere GET /graphql serves no landing page.
          plugins: [queryCostPlugin, config.development ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }) : ApolloServerPluginLandingPageDisabled()],
          context: ({ req }: { req: unknown }) => ({ req }),
          formatError: (formatted, error) => formatGraphqlError(formatted, error, logger),
        }),
      ],
      controllers: [HealthController, MetricsController, ArtifactsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: TokenService,
          useFactory: () => new TokenService({ secretPath: config.authSecretPath, oidc: config.oidc }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
        SessionResolver,
        MetricsService,
      ],
      exports: [TokenService, APP_CONFIG, MetricsService],
    };
  }
}
