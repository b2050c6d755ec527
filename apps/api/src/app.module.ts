import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DomainErrorFilter } from './graphql/domain-error.filter.js';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { TerminusModule } from '@nestjs/terminus';
import { join } from 'node:path';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { AppConfig } from './config/app.config.js';
import { AuthGuard } from './auth/auth.guard.js';
import { formatGraphqlError } from './graphql/format-error.js';
import { graphqlValidationRules, queryCostPlugin } from './graphql/graphql-limits.js';
import { HealthController } from './health/health.controller.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { ReadModelsModule } from './read-models/read-models.module.js';
import { APP_CONFIG, APPLICATION } from './ledger/ledger.tokens.js';
import { logger } from './logging/logger.js';
import { OperationsModule } from './operations/operations.module.js';
import { introspectionForCallersOnly } from './graphql/introspection-guard.js';
import { ArtifactsController } from './artifacts/artifacts.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { SecurityModule } from './security/security.module.js';
import { DossiersController } from './operations/dossiers.controller.js';
import { ExportsController } from './operations/exports.controller.js';
import type { Application } from '@radledger/application';
import { WitnessingModule } from './witness/witnessing.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { graphqlContext, graphqlWsErrorHooks } from './alerts/subscription-context.js';

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
        OperationsModule,
        AlertsModule,
        WitnessingModule.forConfig(config),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [APPLICATION],
          useFactory: (app: Application) => ({
            path: '/graphql',
            autoSchemaFile: config.development ? join(process.cwd(), 'schemas/graphql/schema.gql') : true,
            sortSchema: true,
            playground: false,
            graphiql: false,
            // Production: the schema only for signed-in callers (introspectionForCallersOnly).
            introspection: true,
            includeStacktraceInErrorResponses: false,
            validationRules: graphqlValidationRules,
            plugins: [
              queryCostPlugin,
              ...(config.production ? [introspectionForCallersOnly(() => app)] : []),
              // No landing page (Apollo Sandbox loads from a CDN): development serves GraphiQL from /graphiql (console/console-static.ts).
              ApolloServerPluginLandingPageDisabled(),
            ],
            // HTTP requests carry their headers; a WebSocket subscription its connectionParams (graphql-ws).
            context: graphqlContext,
            // A busy browser may send connection_init late: 15 s, not graphql-ws's 3 s, before the socket is closed.
            subscriptions: config.serveHttp
              ? { 'graphql-ws': { path: '/graphql', connectionInitWaitTimeout: 15_000, ...graphqlWsErrorHooks((formatted, error) => formatGraphqlError(formatted, error, logger)) } }
              : undefined,
            formatError: (formatted, error) => formatGraphqlError(formatted, error, logger),
          }),
        }),
      ],
      controllers: [HealthController, MetricsController, ArtifactsController, DossiersController, ExportsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
      ],
      exports: [APP_CONFIG],
    };
  }
}
