/** Stable, typed error codes surfaced to clients (GraphQL `extensions.code`, CLI exit messages). */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
export class ValidationError extends DomainError {}
export class IllegalStateError extends DomainError {}
export class NotFoundError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, details);
  }
}
export class ConcurrencyError extends DomainError {}
