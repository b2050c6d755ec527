import { Injectable, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '@radledger/platform';

/** Too many attempts from one client: GraphQL code RATE_LIMITED (HTTP 429 on REST). */
export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `too many login attempts from this client: retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/**
 * @nestjs/throttler on the login mutation (issue 6 part 5): limits guessing per client
 * address, in front of the account lock-out that the access decider enforces per user.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- ThrottlerGuard's own signatures take Record<string, any>. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override getRequestResponse(context: ExecutionContext): { req: Record<string, any>; res: Record<string, any> } {
    if (context.getType<string>() === 'graphql') {
      const req = GqlExecutionContext.create(context).getContext<{ req: Record<string, any> }>().req;
      return { req, res: req.res as Record<string, any> };
    }
    return super.getRequestResponse(context);
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    return String(req.ip ?? req.socket?.remoteAddress ?? 'unknown');
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
  }
}
