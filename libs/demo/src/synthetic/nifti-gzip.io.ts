import { constants, gzipSync } from 'node:zlib';
import { encodeNifti1, type NiftiVolume } from './nifti1.encoder.js';

/**
 * `.nii.gz` bytes. Intensity volumes carry scanner noise, which LZ77 matching barely
 * shrinks, so they are Huffman-coded only (same size, ~3× faster: keeps the demo start-up
 * short); masks are mostly zeros and get the normal fast deflate. Node's gzip header has
 * no file name and a zero mtime, so the same volume always gives the same bytes.
 */
export function encodeNiftiGz(volume: NiftiVolume): Uint8Array {
  const strategy = volume.datatype === 'uint8' ? constants.Z_DEFAULT_STRATEGY : constants.Z_HUFFMAN_ONLY;
  return gzipSync(encodeNifti1(volume), { level: constants.Z_BEST_SPEED, strategy });
}
