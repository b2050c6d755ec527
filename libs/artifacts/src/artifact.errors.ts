import { IllegalStateError, ValidationError } from '@radledger/platform';

/** The content is longer than the limit the caller or the store allows. */
export class ArtifactTooLargeError extends ValidationError {
  constructor(maxBytes: number, receivedAtLeast: number) {
    super(
      'ARTIFACT_TOO_LARGE',
      `content: expected at most ${maxBytes} bytes, received at least ${receivedAtLeast}`,
      { maxBytes, receivedAtLeast },
    );
  }
}

/** The stored bytes no longer hash to the name they are stored under. */
export class ArtifactCorruptError extends IllegalStateError {
  constructor(
    readonly expectedSha256: string,
    readonly computedSha256: string,
    path?: string,
  ) {
    super(
      'ARTIFACT_CORRUPT',
      `artifact ${expectedSha256}: stored bytes hash to ${computedSha256}, expected ${expectedSha256}`,
      { expectedSha256, computedSha256, ...(path === undefined ? {} : { path }) },
    );
  }
}

/** An argument that should be a sha256 is not 64 lowercase hex digits. */
export class InvalidSha256Error extends ValidationError {
  constructor(field: string, value: unknown) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
    super('VALIDATION_FAILED', `${field}: expected 64 lowercase hex digits (a SHA-256), got ${shown}`, {
      field,
    });
  }
}
