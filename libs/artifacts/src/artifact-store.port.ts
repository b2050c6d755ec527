/**
 * The port every consumer of binary artifacts (images, masks, ONNX models) depends on.
 * Artifacts are addressed by the SHA-256 of their bytes (lowercase hex), so a name can never
 * point at other content without the store noticing.
 */
export interface ArtifactStore {
  /**
   * Stores `content` (a whole buffer or a stream of chunks) and answers its sha256.
   * Storing the same bytes again keeps one copy and answers `created: false`.
   * Refuses content longer than `maxBytes` with `ARTIFACT_TOO_LARGE`, storing nothing.
   */
  put(content: ArtifactContent, options?: PutArtifactOptions): Promise<StoredArtifact>;

  /**
   * The bytes stored under `sha256`, re-hashed on every read: `ARTIFACT_CORRUPT` when they
   * no longer hash to `sha256`, `NOT_FOUND` when nothing is stored under it, and
   * `VALIDATION_FAILED` when `sha256` is not 64 lowercase hex digits.
   */
  get(sha256: string): Promise<Buffer>;

  /** Whether something is stored under `sha256` (does not re-hash). */
  has(sha256: string): Promise<boolean>;

  /** Where the artifact lives on the local filesystem, for adapters that have one. */
  path?(sha256: string): string;

  /**
   * A cheap identity of the stored copy (no hashing): it changes whenever the stored bytes
   * may have changed. Lets callers cache something derived from verified bytes and still
   * notice a file replaced or edited under them. `NOT_FOUND` when nothing is stored.
   */
  stat?(sha256: string): Promise<ArtifactFileStat>;
}

export type ArtifactContent = Uint8Array | AsyncIterable<Uint8Array>;

export interface PutArtifactOptions {
  /** Upper bound on the content length in bytes; the store's own limit applies when absent. */
  maxBytes?: number;
}

export interface StoredArtifact {
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string;
  size: number;
  /** False when the same bytes were already stored (nothing was written). */
  created: boolean;
}

export interface ArtifactFileStat {
  size: number;
  /**
   * Opaque token: equal tokens mean the same file object with the same size and the same
   * modification and change times (device, inode, size, mtime ns, ctime ns).
   */
  token: string;
  /** Last status change of the stored file (ctime) in ms since the epoch. */
  changedAtMs: number;
}
