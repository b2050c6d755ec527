import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../config/app.config.js';
import { HttpErrorFilter } from './http-error.filter.js';
import { LoginThrottlerGuard } from './login-throttler.guard.js';

/** Part 11 hardening that Nest wires: the login rate limit and typed REST refusals (denials are recorded by the application). */
@Global()
@Module({})
export class SecurityModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: SecurityModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'login', ttl: config.security.loginRateWindowSeconds * 1000, limit: config.security.loginRateLimit }],
        }),
      ],
      providers: [LoginThrottlerGuard, { provide: APP_FILTER, useClass: HttpErrorFilter }],
      exports: [LoginThrottlerGuard, ThrottlerModule],
    };
  }
}
