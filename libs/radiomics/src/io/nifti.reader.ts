import * as nifti from 'nifti-reader-js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { Dims, Mask, Spacing, Volume } from '../volume.js';
import { inflateBounded, inflatePrefix } from './bounded-inflate.js';
import { DEFAULT_IMAGE_SIZE_LIMITS, type ImageSizeLimits } from './image-size-limits.js';

/** Where the voxel grid sits in the world; kept as metadata, never applied (README note 2). */
export interface ImageGeometry {
  dims: Dims;
  spacing: Spacing;
  /** 4×4 voxel-index → world (mm) matrix, row-major: sform if sform_code > 0, else qform. */
  affine: number[][];
  qformCode: number;
  sformCode: number;
  /** Axis codes of the voxel axes in world space, e.g. 'LPS' (RAS+ world, as NIfTI defines). */
  orientation: string;
}

export interface LoadedImage {
  volume: Volume;
  geometry: ImageGeometry;
  format: 'nifti-1' | 'nifti-2' | 'dicom' | 'dicom-seg' | 'nrrd';
  datatype: string;
  /** DICOM inputs: the identity of the series, for DICOM-SEG and SR references. */
  dicom?: DicomSeriesReference;
}

/** What a DICOM-SEG or SR needs to reference a source series (PS3.3 C.12.2, C.8.20). */
export interface DicomSeriesReference {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  frameOfReferenceUid: string;
  /** SOP class of the source images (CT, MR, PET image storage). */
  sopClassUid: string;
  /** Per slice z of the volume, its SOPInstanceUID. */
  sopInstanceUids: string[];
  modality: string;
  /** Patient and study attributes copied into derived objects (PS3.3 C.7.1.1, C.7.2.1). */
  patient: { PatientName: string; PatientID: string; PatientBirthDate: string; PatientSex: string };
  study: { StudyDate: string; StudyTime: string; StudyID: string; AccessionNumber: string; ReferringPhysicianName: string };
}

const DATATYPES: Record<number, { name: string; bytes: number; read: (v: DataView, o: number, le: boolean) => number }> = {
  2: { name: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o) },
  4: { name: 'int16', bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  8: { name: 'int32', bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  16: { name: 'float32', bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  64: { name: 'float64', bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
  256: { name: 'int8', bytes: 1, read: (v, o) => v.getInt8(o) },
  512: { name: 'uint16', bytes: 2, read: (v, o, le) => v.getUint16(o, le) },
  768: { name: 'uint32', bytes: 4, read: (v, o, le) => v.getUint32(o, le) },
};

const unreadable = (what: string, detail: string): never => {
  throw new RadiomicsInputError('IMAGE_UNREADABLE', `${what} is not a readable NIfTI image: ${detail}`);
};

/** Axis codes from an affine's direction columns (RAS+ world). */
export function orientationCode(affine: number[][]): string {
  const letters = [['L', 'R'], ['P', 'A'], ['I', 'S']] as const;
  let out = '';
  for (let axis = 0; axis < 3; axis++) {
    const col = [affine[0]![axis]!, affine[1]![axis]!, affine[2]![axis]!];
    let best = 0;
    for (let w = 1; w < 3; w++) if (Math.abs(col[w]!) > Math.abs(col[best]!)) best = w;
    out += letters[best]![col[best]! > 0 ? 1 : 0];
  }
  return out;
}

/** The fields that size an image, read from the fixed header layout before anything else. */
interface NiftiSizeFields {
  headerBytes: 348 | 540;
  /** dim[0..7] as stored (NIfTI-2 int64 values as numbers). */
  dim: number[];
  datatype: number;
  bitpix: number;
  voxOffset: number;
  pixdim: number[];
}

/** NIfTI-1 (nifti1.h) and NIfTI-2 (nifti2.h) offsets of dim, datatype, bitpix, pixdim and vox_offset. */
function sizeFieldsOf(head: Uint8Array): NiftiSizeFields | null {
  if (head.length < 348) return null;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = (at: number): string => String.fromCharCode(...head.subarray(at, at + 3));
  for (const le of [true, false]) {
    const size = v.getInt32(0, le);
    if (size === 348 && (magic(344) === 'n+1' || magic(344) === 'ni1')) {
      return {
        headerBytes: 348,
        dim: Array.from({ length: 8 }, (_, k) => v.getInt16(40 + 2 * k, le)),
        datatype: v.getInt16(70, le),
        bitpix: v.getInt16(72, le),
        pixdim: Array.from({ length: 8 }, (_, k) => v.getFloat32(76 + 4 * k, le)),
        voxOffset: v.getFloat32(108, le),
      };
    }
    if (size === 540 && head.length >= 540 && (magic(4) === 'n+2' || magic(4) === 'ni2')) {
      return {
        headerBytes: 540,
        dim: Array.from({ length: 8 }, (_, k) => Number(v.getBigInt64(16 + 8 * k, le))),
        datatype: v.getInt16(12, le),
        bitpix: v.getInt16(14, le),
        pixdim: Array.from({ length: 8 }, (_, k) => v.getFloat64(104 + 8 * k, le)),
        voxOffset: Number(v.getBigInt64(168, le)),
      };
    }
  }
  return null;
}

const invalidHeader = (what: string, field: string, expected: string, got: number): never => {
  throw new RadiomicsInputError('IMAGE_HEADER_INVALID', `${what}: NIfTI header field ${field}: expected ${expected}, got ${got}`, { field });
};

/**
 * Refuses a header whose sizing fields are impossible (NIfTI-1 §dim, §datatype/bitpix,
 * §vox_offset, §pixdim) or that declares more than `limits`, and answers how many bytes the
 * file must decompress to. Runs on the first bytes only, so nothing large is inflated or
 * allocated for a header that is refused.
 */
function checkSizeFields(f: NiftiSizeFields, what: string, limits: ImageSizeLimits): { voxels: number; declaredBytes: number } {
  const ndim = f.dim[0]!;
  if (!Number.isInteger(ndim) || ndim < 1 || ndim > 7) invalidHeader(what, 'dim[0]', 'the number of dimensions, 1 to 7', ndim);
  let voxels = 1;
  for (let k = 1; k <= ndim; k++) {
    if (f.dim[k]! < 1) invalidHeader(what, `dim[${k}]`, 'a size of at least 1', f.dim[k]!);
    voxels *= f.dim[k]!;
  }
  for (let k = 1; k <= Math.min(ndim, 3); k++) {
    if (!Number.isFinite(f.pixdim[k]!)) invalidHeader(what, `pixdim[${k}]`, 'a finite voxel spacing', f.pixdim[k]!);
  }
  if (!Number.isFinite(f.voxOffset) || f.voxOffset < 0) invalidHeader(what, 'vox_offset', 'a finite byte offset of at least 0', f.voxOffset);
  const type = DATATYPES[f.datatype];
  if (!type) unreadable(what, `datatype code ${f.datatype} is not supported (uint8, int8, int16, uint16, int32, uint32, float32, float64)`);
  if (f.bitpix !== type!.bytes * 8) invalidHeader(what, 'bitpix', `${type!.bytes * 8} for datatype ${type!.name} (code ${f.datatype})`, f.bitpix);
  if (voxels > limits.maxVoxels) {
    throw new RadiomicsInputError('IMAGE_TOO_LARGE', `${what}: NIfTI header field dim declares ${f.dim.slice(1, ndim + 1).join('×')} = ${voxels} voxels, more than the limit of ${limits.maxVoxels}`, { field: 'dim', voxels, maxVoxels: limits.maxVoxels });
  }
  const declaredBytes = Math.floor(f.voxOffset) + voxels * type!.bytes;
  if (declaredBytes > limits.maxDecompressedBytes) {
    throw new RadiomicsInputError('IMAGE_TOO_LARGE', `${what}: NIfTI header fields vox_offset, dim and bitpix declare ${declaredBytes} bytes, more than the limit of ${limits.maxDecompressedBytes}`, { field: 'dim', declaredBytes, maxBytes: limits.maxDecompressedBytes });
  }
  return { voxels, declaredBytes };
}

/** Bytes a gzip stream may hold past the declared image (some writers pad); more is refused, not inflated. */
const TRAILING_BYTES_ALLOWED = 1024 * 1024;

export interface NiftiReadOptions {
  /** Size limits checked from the header before inflating (default DEFAULT_IMAGE_SIZE_LIMITS). */
  limits?: ImageSizeLimits;
}

/**
 * Reads a .nii or .nii.gz (NIfTI-1 or NIfTI-2) from bytes. Intensities are scaled by
 * scl_slope/scl_inter when scl_slope ≠ 0. Voxels stay in stored order.
 * The header is read and checked first (impossible fields → IMAGE_HEADER_INVALID, more than
 * `options.limits` → IMAGE_TOO_LARGE); a .nii.gz is then inflated with the declared size as
 * its output cap, so a gzip bomb is refused after at most a megabyte past that size.
 * @param what names the input in error messages (e.g. the file name)
 */
export function readNifti(bytes: Uint8Array, what = 'image', options: NiftiReadOptions = {}): LoadedImage {
  const limits = options.limits ?? DEFAULT_IMAGE_SIZE_LIMITS;
  if (bytes.length === 0) unreadable(what, 'the file is empty (0 bytes)');
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const head = gzipped ? inflatePrefix(bytes, 540, { format: 'gzip', what }) : bytes.subarray(0, 540);
  const fields = sizeFieldsOf(head);
  if (!fields) unreadable(what, 'no NIfTI-1/NIfTI-2 header magic');
  const { declaredBytes } = checkSizeFields(fields!, what, limits);
  let raw = bytes;
  if (gzipped) {
    const cap = Math.min(limits.maxDecompressedBytes, Math.max(declaredBytes, fields!.headerBytes) + TRAILING_BYTES_ALLOWED);
    raw = inflateBounded(bytes, { format: 'gzip', maxOutputBytes: cap, what });
  }
  // An inflated buffer usually owns its ArrayBuffer: no second copy of a large volume then.
  const owns = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength && raw.buffer instanceof ArrayBuffer;
  const buffer = owns ? (raw.buffer as ArrayBuffer) : (raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
  if (buffer.byteLength < 348 || !nifti.isNIFTI(buffer)) unreadable(what, 'no NIfTI-1/NIfTI-2 header magic');
  let header: nifti.NIFTI1 | nifti.NIFTI2;
  try {
    header = nifti.readHeader(buffer);
  } catch (error) {
    return unreadable(what, `header could not be parsed (${(error as Error).message})`);
  }
  const ndim = header.dims[0]!;
  const dims = [1, 2, 3].map((k) => (k <= ndim ? header.dims[k]! : 1)) as unknown as Dims;
  const extra = header.dims.slice(4, ndim + 1).reduce((a, b) => a * (b || 1), 1);
  if (extra > 1) unreadable(what, `${ndim}-D images with more than one volume are not supported`);
  const type = DATATYPES[header.datatypeCode];
  if (!type) unreadable(what, `datatype code ${header.datatypeCode} is not supported (uint8, int8, int16, uint16, int32, uint32, float32, float64)`);
  const n = dims[0] * dims[1] * dims[2];
  const offset = Math.max(0, Math.floor(header.vox_offset));
  const needed = offset + n * type!.bytes;
  if (buffer.byteLength < needed) {
    unreadable(what, `voxel data is truncated (${buffer.byteLength} bytes, header needs ${needed})`);
  }
  const view = new DataView(buffer, offset, n * type!.bytes);
  const slope = header.scl_slope;
  const inter = header.scl_inter;
  const scale = Number.isFinite(slope) && slope !== 0;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = type!.read(view, i * type!.bytes, header.littleEndian);
    // NIfTI-1 §scl_slope: y = scl_slope·x + scl_inter when scl_slope ≠ 0.
    data[i] = scale ? v * slope + (Number.isFinite(inter) ? inter : 0) : v;
  }
  const spacing = [1, 2, 3].map((k) => Math.abs(header.pixDims[k] || 1)) as unknown as Spacing;
  const affine = header.sform_code > 0 ? header.affine.map((r) => [...r]) : qformAffine(header, spacing);
  return {
    volume: { dims, spacing, data },
    geometry: {
      dims,
      spacing,
      affine,
      qformCode: header.qform_code,
      sformCode: header.sform_code,
      orientation: orientationCode(affine),
    },
    format: header instanceof nifti.NIFTI2 ? 'nifti-2' : 'nifti-1',
    datatype: type!.name,
  };
}

/** NIfTI-1 method 2 (quaternion) affine; method 1 (scaling only) when qform_code is 0. */
function qformAffine(h: nifti.NIFTI1 | nifti.NIFTI2, spacing: Spacing): number[][] {
  if (h.qform_code <= 0) {
    return [
      [spacing[0], 0, 0, 0],
      [0, spacing[1], 0, 0],
      [0, 0, spacing[2], 0],
      [0, 0, 0, 1],
    ];
  }
  const b = h.quatern_b, c = h.quatern_c, d = h.quatern_d;
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const qfac = h.pixDims[0] === -1 ? -1 : 1;
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  const s = [spacing[0], spacing[1], spacing[2] * qfac];
  return [
    [r[0]![0]! * s[0]!, r[0]![1]! * s[1]!, r[0]![2]! * s[2]!, h.qoffset_x],
    [r[1]![0]! * s[0]!, r[1]![1]! * s[1]!, r[1]![2]! * s[2]!, h.qoffset_y],
    [r[2]![0]! * s[0]!, r[2]![1]! * s[1]!, r[2]![2]! * s[2]!, h.qoffset_z],
    [0, 0, 0, 1],
  ];
}

/**
 * A mask from a label image: voxels equal to `label` (rounded), or any nonzero voxel when
 * label is undefined.
 */
export function maskFromLabels(labels: LoadedImage, label?: number): Mask {
  const src = labels.volume.data;
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    data[i] = label === undefined ? (v !== 0 && !Number.isNaN(v) ? 1 : 0) : Math.round(v) === label ? 1 : 0;
  }
  if (!data.some((v) => v)) {
    throw new RadiomicsInputError(
      'MASK_EMPTY',
      label === undefined ? 'mask has no nonzero voxel' : `mask has no voxel with label ${label}`,
    );
  }
  return { dims: labels.volume.dims, spacing: labels.volume.spacing, data };
}

/**
 * Refuses a mask whose grid differs from the image's: dimensions, spacing, or placement
 * (affine) beyond 1e-3 mm.
 */
export function assertSameGrid(image: ImageGeometry, mask: ImageGeometry): void {
  const dimsDiffer = image.dims.some((d, i) => d !== mask.dims[i]);
  let affineDiffers = false;
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++)
      if (Math.abs(image.affine[r]![c]! - mask.affine[r]![c]!) > 1e-3) affineDiffers = true;
  const spacingDiffers = image.spacing.some((s, i) => Math.abs(s - mask.spacing[i]!) > 1e-5);
  if (dimsDiffer || spacingDiffers || affineDiffers) {
    throw new RadiomicsInputError(
      'MASK_GRID_MISMATCH',
      `mask grid (${mask.dims.join('×')}, ${mask.spacing.join('×')} mm, ${mask.orientation}) differs from image grid (${image.dims.join('×')}, ${image.spacing.join('×')} mm, ${image.orientation})${affineDiffers && !dimsDiffer && !spacingDiffers ? ': voxel-to-world placement differs' : ''}`,
    );
  }
}
