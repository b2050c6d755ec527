import { DomainError } from '@radledger/platform';

/**
 * The backing store cannot be used at all (bad URL, server down, file not a database).
 * Codes: STORE_URL_INVALID, STORE_UNREACHABLE, STORE_NOT_FOUND, STORE_CORRUPT, STORE_CLOSED.
 */
export class EventStoreUnavailableError extends DomainError {}

export function storeUrlInvalid(url: string, why: string): EventStoreUnavailableError {
  return new EventStoreUnavailableError(
    'STORE_URL_INVALID',
    `store URL "${redactUrl(url)}" ${why}; expected sqlite:<path>, postgres://…, postgresql://… or kurrentdb://…`,
    { url: redactUrl(url) },
  );
}

/** Never echo a password back in an error message. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
