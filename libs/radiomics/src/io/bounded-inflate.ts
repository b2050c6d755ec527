import { gunzipSync, inflateRawSync, inflateSync, type ZlibOptions } from 'node:zlib';
import { Gunzip, Inflate, Unzlib } from 'fflate';
import { RadiomicsInputError } from '../radiomics.errors.js';

/**
 * Decompression of uploaded bytes with a hard output cap, for every reader in io/ (NIfTI
 * .nii.gz, NRRD gzip encoding, DICOM deflated transfer syntax). A 2 MB gzip stream can hold
 * 2 GiB of zeros (deflate reaches ~1032:1), so no reader may inflate without knowing how much
 * it will accept: read the header with `inflatePrefix`, check the declared size against the
 * limits, then `inflateBounded` with the declared size as the cap.
 */
export type CompressedFormat = 'gzip' | 'zlib' | 'deflate-raw';

export interface BoundedInflateOptions {
  format: CompressedFormat;
  /** Inflation stops with IMAGE_TOO_LARGE as soon as the output passes this many bytes. */
  maxOutputBytes: number;
  /** Names the input in error messages (e.g. the file name). */
  what: string;
}

/** Output produced between two checks of the cap: the most memory a bomb gets past it. */
const CHUNK_BYTES = 256 * 1024;

const NATIVE: Record<CompressedFormat, (buf: Uint8Array, options: ZlibOptions) => Buffer> = {
  gzip: gunzipSync,
  zlib: inflateSync,
  'deflate-raw': inflateRawSync,
};

/**
 * The whole decompressed stream, refused with IMAGE_TOO_LARGE once it passes
 * `maxOutputBytes`. node:zlib's synchronous inflate works chunk by chunk and checks
 * `maxOutputLength` after each chunk, so memory stays within the cap plus one chunk; it is
 * about three times faster than a JavaScript inflater on volumes of tens of MB.
 */
export function inflateBounded(compressed: Uint8Array, options: BoundedInflateOptions): Uint8Array {
  const cap = Math.max(1, Math.floor(options.maxOutputBytes));
  try {
    const out = NATIVE[options.format](compressed, { maxOutputLength: cap, chunkSize: CHUNK_BYTES });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RadiomicsInputError('IMAGE_TOO_LARGE', `${options.what}: the decompressed data is larger than ${cap} bytes, the most accepted for it`, { field: 'body', maxBytes: cap });
    }
    throw new RadiomicsInputError('IMAGE_UNREADABLE', `${options.what} is not readable: ${options.format} stream is truncated or corrupt (${(error as Error).message})`);
  }
}

/** Compressed bytes fed per step while reading a prefix: at most ~1 MiB of output each. */
const PREFIX_INPUT_STEP = 1024;

/**
 * The first `bytes` bytes of the decompressed stream (fewer when the stream ends first or is
 * truncated), inflating no more than about 1 MiB past them: enough to read a header before
 * deciding whether to inflate the rest. Streams through fflate in small input steps, so a
 * bomb behind the header is never expanded.
 */
export function inflatePrefix(compressed: Uint8Array, bytes: number, options: Pick<BoundedInflateOptions, 'format' | 'what'>): Uint8Array {
  const out = new Uint8Array(bytes);
  let filled = 0;
  const ondata = (chunk: Uint8Array): void => {
    const take = Math.min(chunk.length, bytes - filled);
    out.set(chunk.subarray(0, take), filled);
    filled += take;
  };
  const stream = options.format === 'gzip' ? new Gunzip(ondata) : options.format === 'zlib' ? new Unzlib(ondata) : new Inflate(ondata);
  try {
    for (let at = 0; at < compressed.length && filled < bytes; at += PREFIX_INPUT_STEP) {
      const end = Math.min(compressed.length, at + PREFIX_INPUT_STEP);
      stream.push(compressed.subarray(at, end), end === compressed.length);
    }
  } catch (error) {
    throw new RadiomicsInputError('IMAGE_UNREADABLE', `${options.what} is not readable: ${options.format} stream is corrupt (${(error as Error).message})`);
  }
  return out.subarray(0, filled);
}
