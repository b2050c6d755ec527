import { constants, gzipSync } from 'node:zlib';
import { writeNifti } from './nifti.writer.js';

/** NIfTI-1 header fields a test may set to impossible or oversized values (nifti1.h offsets). */
export interface NiftiHeaderPatch {
  /** dim[0..7]; entries left undefined keep the written value. */
  dim?: Array<number | undefined>;
  datatype?: number;
  bitpix?: number;
  voxOffset?: number;
  pixdim?: Array<number | undefined>;
}

/** A valid little-endian NIfTI-1 uint8 file of `dims`, then the patch applied to its header. */
export function patchedNifti(dims: [number, number, number], patch: NiftiHeaderPatch = {}): Uint8Array {
  const bytes = writeNifti({ dims, spacing: [1, 1, 1], data: new Float64Array(dims[0] * dims[1] * dims[2]) }, { datatype: 'uint8' });
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  patch.dim?.forEach((d, k) => d !== undefined && v.setInt16(40 + 2 * k, d, true));
  if (patch.datatype !== undefined) v.setInt16(70, patch.datatype, true);
  if (patch.bitpix !== undefined) v.setInt16(72, patch.bitpix, true);
  patch.pixdim?.forEach((d, k) => d !== undefined && v.setFloat32(76 + 4 * k, d, true));
  if (patch.voxOffset !== undefined) v.setFloat32(108, patch.voxOffset, true);
  return bytes;
}

const ZERO_MEMBER_BYTES = 64 * 1024 * 1024;

/**
 * A .nii.gz "gzip bomb": a NIfTI-1 header declaring `dims` (uint8), then `zeroBytes` of zeros,
 * as a multi-member gzip stream (RFC 1952 §2.2: members concatenate) so that building 2 GiB of
 * zeros costs one 64 MiB compression. 2 GiB of zeros packs into about 2 MB.
 */
export function niftiGzipBomb(dims: [number, number, number], zeroBytes: number): Uint8Array {
  const header = patchedNifti([1, 1, 1], { dim: [3, ...dims] }).subarray(0, 352);
  const zeroMember = gzipSync(new Uint8Array(ZERO_MEMBER_BYTES), { level: constants.Z_BEST_COMPRESSION });
  const members: Uint8Array[] = [gzipSync(header)];
  for (let left = zeroBytes; left > 0; left -= ZERO_MEMBER_BYTES) {
    members.push(left >= ZERO_MEMBER_BYTES ? zeroMember : gzipSync(new Uint8Array(left), { level: constants.Z_BEST_COMPRESSION }));
  }
  return Buffer.concat(members);
}
