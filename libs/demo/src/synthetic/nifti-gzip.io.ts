import { constants, gzipSync } from 'node:zlib';
import { encodeNifti1, type NiftiVolume } from './nifti1.encoder.js';

/**
 * `.nii.gz` bytes. gzip level 1: the demo volumes carry scanner noise, which no level
 * compresses much further, and level 1 keeps the demo's start-up fast. The gzip header
 * has no file name and a zero mtime, so the same volume always gives the same bytes.
 */
export function encodeNiftiGz(volume: NiftiVolume): Uint8Array {
  return gzipSync(encodeNifti1(volume), { level: constants.Z_BEST_SPEED });
}
