/**
 * A minimal NIfTI-1 single-file (.nii) writer: the 348-byte header, a 4-byte empty
 * extension block and the voxels, little-endian. Just what the demo needs: 3-D volumes of
 * uint8 / int16 / float32 on an axis-aligned grid (qform and sform both "scanner", RAS+).
 * Field offsets follow nifti1.h (NIfTI-1 Data Format Working Group, 2004).
 */
export type NiftiDatatype = 'uint8' | 'int16' | 'float32';

export interface NiftiVolume {
  dims: readonly [number, number, number];
  /** Voxel spacing in mm. */
  spacing: readonly [number, number, number];
  datatype: NiftiDatatype;
  /** Voxel values, x fastest then y then z (nifti1.h data order). */
  data: ArrayLike<number>;
  /** Free text for the header's `descrip` (at most 79 ASCII characters; never personal data). */
  description?: string;
}

const HEADER_BYTES = 348;
/** nifti1.h: vox_offset of a single-file .nii is at least 352 (header + 4-byte extender). */
const VOX_OFFSET = 352;

const DATATYPE_CODES: Record<NiftiDatatype, { code: number; bitpix: number }> = {
  uint8: { code: 2, bitpix: 8 }, // DT_UNSIGNED_CHAR
  int16: { code: 4, bitpix: 16 }, // DT_SIGNED_SHORT
  float32: { code: 16, bitpix: 32 }, // DT_FLOAT
};

/** NIFTI_UNITS_MM (2) | NIFTI_UNITS_SEC (8). */
const XYZT_UNITS_MM_SEC = 2 | 8;
/** NIFTI_XFORM_SCANNER_ANAT. */
const XFORM_SCANNER_ANAT = 1;

/** The voxel-to-world affine the writer records: axis-aligned, grid centred on the origin. */
export function centredAffine(dims: readonly [number, number, number], spacing: readonly [number, number, number]): number[][] {
  const offset = (k: 0 | 1 | 2) => (-(dims[k] - 1) / 2) * spacing[k];
  return [
    [spacing[0], 0, 0, offset(0)],
    [0, spacing[1], 0, offset(1)],
    [0, 0, spacing[2], offset(2)],
    [0, 0, 0, 1],
  ];
}

export function encodeNifti1(volume: NiftiVolume): Uint8Array {
  const [nx, ny, nz] = volume.dims;
  const n = nx * ny * nz;
  if (volume.data.length !== n) throw new RangeError(`data: expected ${n} voxels for dims ${volume.dims.join('×')}, got ${volume.data.length}`);
  const type = DATATYPE_CODES[volume.datatype];
  const bytes = new Uint8Array(VOX_OFFSET + n * (type.bitpix / 8));
  const view = new DataView(bytes.buffer);
  const le = true;

  view.setInt32(0, HEADER_BYTES, le); // sizeof_hdr
  bytes[38] = 'r'.charCodeAt(0); // regular
  const dim = [3, nx, ny, nz, 1, 1, 1, 1];
  dim.forEach((d, i) => view.setInt16(40 + 2 * i, d, le));
  view.setInt16(70, type.code, le); // datatype
  view.setInt16(72, type.bitpix, le); // bitpix
  // pixdim[0] is qfac: +1 for a right-handed voxel grid.
  const pixdim = [1, volume.spacing[0], volume.spacing[1], volume.spacing[2], 0, 0, 0, 0];
  pixdim.forEach((p, i) => view.setFloat32(76 + 4 * i, p, le));
  view.setFloat32(108, VOX_OFFSET, le); // vox_offset
  view.setFloat32(112, 1, le); // scl_slope: stored values are the intensities
  view.setFloat32(116, 0, le); // scl_inter
  bytes[123] = XYZT_UNITS_MM_SEC;
  writeAscii(bytes, 148, 80, volume.description ?? '');

  const affine = centredAffine(volume.dims, volume.spacing);
  view.setInt16(252, XFORM_SCANNER_ANAT, le); // qform_code
  view.setInt16(254, XFORM_SCANNER_ANAT, le); // sform_code
  // Identity rotation: quatern_b = c = d = 0; offsets are the world position of voxel (0,0,0).
  view.setFloat32(268, affine[0]![3]!, le);
  view.setFloat32(272, affine[1]![3]!, le);
  view.setFloat32(276, affine[2]![3]!, le);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) view.setFloat32(280 + 16 * r + 4 * c, affine[r]![c]!, le);
  writeAscii(bytes, 344, 4, 'n+1'); // magic, NUL-terminated

  const data = volume.data;
  if (HOST_IS_LITTLE_ENDIAN && ArrayBuffer.isView(data) && sameElementType(data, volume.datatype)) {
    // Fast path: the typed array's bytes already are the little-endian voxel block.
    const view8 = data as unknown as Uint8Array | Int16Array | Float32Array;
    bytes.set(new Uint8Array(view8.buffer, view8.byteOffset, view8.byteLength), VOX_OFFSET);
    return bytes;
  }
  switch (volume.datatype) {
    case 'uint8':
      for (let i = 0; i < n; i++) bytes[VOX_OFFSET + i] = data[i]!;
      break;
    case 'int16':
      for (let i = 0; i < n; i++) view.setInt16(VOX_OFFSET + 2 * i, data[i]!, le);
      break;
    case 'float32':
      for (let i = 0; i < n; i++) view.setFloat32(VOX_OFFSET + 4 * i, data[i]!, le);
      break;
  }
  return bytes;
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function sameElementType(data: ArrayBufferView, datatype: NiftiDatatype): boolean {
  return (datatype === 'uint8' && data instanceof Uint8Array) || (datatype === 'int16' && data instanceof Int16Array) || (datatype === 'float32' && data instanceof Float32Array);
}

function writeAscii(bytes: Uint8Array, offset: number, field: number, text: string): void {
  const max = Math.min(text.length, field - 1);
  for (let i = 0; i < max; i++) {
    const c = text.charCodeAt(i);
    bytes[offset + i] = c < 0x20 || c > 0x7e ? 0x3f : c;
  }
}
