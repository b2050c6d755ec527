import { gzipSync } from 'node:zlib';
import type { Volume } from '../volume.js';

export type NiftiDatatype = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

const CODES: Record<NiftiDatatype, { code: number; bytes: number; write: (v: DataView, o: number, x: number) => void }> = {
  uint8: { code: 2, bytes: 1, write: (v, o, x) => v.setUint8(o, x) },
  int16: { code: 4, bytes: 2, write: (v, o, x) => v.setInt16(o, x, true) },
  int32: { code: 8, bytes: 4, write: (v, o, x) => v.setInt32(o, x, true) },
  float32: { code: 16, bytes: 4, write: (v, o, x) => v.setFloat32(o, x, true) },
  float64: { code: 64, bytes: 8, write: (v, o, x) => v.setFloat64(o, x, true) },
  int8: { code: 256, bytes: 1, write: (v, o, x) => v.setInt8(o, x) },
  uint16: { code: 512, bytes: 2, write: (v, o, x) => v.setUint16(o, x, true) },
  uint32: { code: 768, bytes: 4, write: (v, o, x) => v.setUint32(o, x, true) },
};

export interface NiftiWriteOptions {
  datatype?: NiftiDatatype;
  version?: 1 | 2;
  gzip?: boolean;
  /** Stored values are (value − inter)/slope; readers apply slope·x + inter. */
  sclSlope?: number;
  sclInter?: number;
}

/**
 * Writes a little-endian NIfTI-1 or NIfTI-2 file with an sform of diag(spacing)
 * (sform_code 1). For masks, generated test data and exports; voxel order as given.
 */
export function writeNifti(volume: Volume, options: NiftiWriteOptions = {}): Uint8Array {
  const type = CODES[options.datatype ?? 'float32'];
  const version = options.version ?? 1;
  const [nx, ny, nz] = volume.dims;
  const [sx, sy, sz] = volume.spacing;
  const n = nx * ny * nz;
  const headerSize = version === 1 ? 348 : 540;
  const offset = headerSize + 4;
  const bytes = new Uint8Array(offset + n * type.bytes);
  const v = new DataView(bytes.buffer);
  const slope = options.sclSlope ?? 0;
  const inter = options.sclInter ?? 0;
  const ascii = (at: number, s: string): void => {
    for (let k = 0; k < s.length; k++) bytes[at + k] = s.charCodeAt(k);
  };
  if (version === 1) {
    v.setInt32(0, 348, true);
    [3, nx, ny, nz, 1, 1, 1, 1].forEach((d, k) => v.setInt16(40 + 2 * k, d, true));
    v.setInt16(70, type.code, true);
    v.setInt16(72, type.bytes * 8, true);
    [1, sx, sy, sz, 1, 1, 1, 1].forEach((d, k) => v.setFloat32(76 + 4 * k, d, true));
    v.setFloat32(108, offset, true);
    v.setFloat32(112, slope, true);
    v.setFloat32(116, inter, true);
    v.setInt16(254, 1, true); // sform_code
    [[sx, 0, 0, 0], [0, sy, 0, 0], [0, 0, sz, 0]].forEach((row, r) =>
      row.forEach((x, c) => v.setFloat32(280 + 16 * r + 4 * c, x, true)),
    );
    ascii(344, 'n+1\0');
  } else {
    v.setInt32(0, 540, true);
    ascii(4, 'n+2\0\r\n\x1a\n');
    v.setInt16(12, type.code, true);
    v.setInt16(14, type.bytes * 8, true);
    [3, nx, ny, nz, 1, 1, 1, 1].forEach((d, k) => v.setBigInt64(16 + 8 * k, BigInt(d), true));
    [1, sx, sy, sz, 1, 1, 1, 1].forEach((d, k) => v.setFloat64(104 + 8 * k, d, true));
    v.setBigInt64(168, BigInt(offset), true);
    v.setFloat64(176, slope, true);
    v.setFloat64(184, inter, true);
    v.setInt32(348, 1, true); // sform_code
    [[sx, 0, 0, 0], [0, sy, 0, 0], [0, 0, sz, 0]].forEach((row, r) =>
      row.forEach((x, c) => v.setFloat64(400 + 32 * r + 8 * c, x, true)),
    );
  }
  const scale = slope !== 0;
  for (let i = 0; i < n; i++) {
    const x = scale ? (volume.data[i]! - inter) / slope : volume.data[i]!;
    type.write(v, offset + i * type.bytes, type.code === 16 || type.code === 64 ? x : Math.round(x));
  }
  return options.gzip ? new Uint8Array(gzipSync(bytes)) : bytes;
}
