import { DomainError } from '@radledger/platform';

/** No or bad credentials: GraphQL code UNAUTHENTICATED. */
export class AuthenticationError extends DomainError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
  }
}

/** Authenticated, but not allowed: GraphQL code FORBIDDEN. */
export class AuthorizationError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('FORBIDDEN', message, details);
  }
}

/** Too many calls of an expensive operation: GraphQL code RATE_LIMITED, HTTP 429. */
export class RateLimitedError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('RATE_LIMITED', message, details);
  }
}
