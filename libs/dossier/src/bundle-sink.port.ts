/**
 * Where a dossier is written: a directory or a zip (adapters/). The assembly in this
 * library writes text through the port and never touches the file system itself.
 */
export interface BundleFileWriter {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface BundleSink {
  /** Creates (or truncates) a file of the bundle, or a scratch part that is later concatenated and removed. */
  open(name: string): BundleFileWriter;
  /** Reads back a file written earlier (used to concatenate scratch parts). */
  read(name: string): AsyncIterable<Uint8Array>;
  remove(name: string): Promise<void>;
  /** Seals the bundle (a zip adapter packs the files here). */
  finish(): Promise<{ location: string }>;
  /** Removes whatever was written after a failure. */
  abort(): Promise<void>;
}

/** Reads a bundle for the verifier: a directory or the bytes of a zip. */
export interface BundleReader {
  /** The bundle's file names (relative, '/'-separated). */
  list(): Promise<string[]>;
  /** The file's bytes in chunks (streamed where the adapter can); undefined when the bundle has no such file. */
  chunks(name: string): AsyncIterable<Uint8Array> | undefined;
}
