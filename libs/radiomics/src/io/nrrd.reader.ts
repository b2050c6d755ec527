import { gunzipSync } from 'node:zlib';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { Dims, Spacing } from '../volume.js';
import { orientationCode, type LoadedImage } from './nifti.reader.js';

/**
 * Gives the bytes of a detached data file named in a .nhdr header (`data file:`), or
 * undefined when it is not there. The reader stays free of node:fs: the caller resolves the
 * name (relative to the header's folder, as the NRRD spec says).
 */
export type NrrdDataFileResolver = (name: string) => Uint8Array | undefined;

interface NrrdType {
  name: string;
  bytes: number;
  read: (v: DataView, o: number, le: boolean) => number;
}

const INT8: NrrdType = { name: 'int8', bytes: 1, read: (v, o) => v.getInt8(o) };
const UINT8: NrrdType = { name: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o) };
const INT16: NrrdType = { name: 'int16', bytes: 2, read: (v, o, le) => v.getInt16(o, le) };
const UINT16: NrrdType = { name: 'uint16', bytes: 2, read: (v, o, le) => v.getUint16(o, le) };
const INT32: NrrdType = { name: 'int32', bytes: 4, read: (v, o, le) => v.getInt32(o, le) };
const UINT32: NrrdType = { name: 'uint32', bytes: 4, read: (v, o, le) => v.getUint32(o, le) };
const FLOAT32: NrrdType = { name: 'float32', bytes: 4, read: (v, o, le) => v.getFloat32(o, le) };
const FLOAT64: NrrdType = { name: 'float64', bytes: 8, read: (v, o, le) => v.getFloat64(o, le) };

/** NRRD "type:" spellings (teem nrrd format spec, §type). 64-bit integers are refused. */
const TYPES: Record<string, NrrdType> = {
  'signed char': INT8, int8: INT8, int8_t: INT8,
  uchar: UINT8, 'unsigned char': UINT8, uint8: UINT8, uint8_t: UINT8,
  short: INT16, 'short int': INT16, 'signed short': INT16, 'signed short int': INT16, int16: INT16, int16_t: INT16,
  ushort: UINT16, 'unsigned short': UINT16, 'unsigned short int': UINT16, uint16: UINT16, uint16_t: UINT16,
  int: INT32, 'signed int': INT32, int32: INT32, int32_t: INT32,
  uint: UINT32, 'unsigned int': UINT32, uint32: UINT32, uint32_t: UINT32,
  float: FLOAT32, double: FLOAT64,
};

/** World-space axis signs to RAS+ (the affine convention of ImageGeometry, as NIfTI). */
const SPACES: Record<string, [number, number, number]> = {
  'right-anterior-superior': [1, 1, 1], ras: [1, 1, 1],
  'left-anterior-superior': [-1, 1, 1], las: [-1, 1, 1],
  'left-posterior-superior': [-1, -1, 1], lps: [-1, -1, 1],
  'scanner-xyz': [1, 1, 1], '3d-right-handed': [1, 1, 1],
};

const unreadable = (what: string, detail: string): never => {
  throw new RadiomicsInputError('IMAGE_UNREADABLE', `${what} is not a readable NRRD image: ${detail}`);
};

/** Parses "(a,b,c)" vectors; 'none' gives null. */
function vectors(text: string, what: string, field: string): (number[] | null)[] {
  const out: (number[] | null)[] = [];
  const re = /\(([^)]*)\)|none/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === 'none') out.push(null);
    else {
      const v = m[1]!.split(',').map((s) => Number(s.trim()));
      if (v.some((x) => !Number.isFinite(x))) unreadable(what, `field "${field}" has a non-numeric vector ${m[0]}`);
      out.push(v);
    }
  }
  return out;
}

export interface NrrdHeader {
  fields: Record<string, string>;
  /** Byte offset of the attached data (after the blank line), or -1 for a detached header. */
  dataOffset: number;
}

/** Splits a NRRD file into its fields (lowercased keys) and the offset of attached data. */
export function parseNrrdHeader(bytes: Uint8Array, what = 'image'): NrrdHeader {
  if (bytes.length === 0) unreadable(what, 'the file is empty (0 bytes)');
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (!/^NRRD000[1-5]$/.test(magic)) unreadable(what, 'no NRRD magic ("NRRD0001".."NRRD0005")');
  const fields: Record<string, string> = {};
  let at = 0;
  let dataOffset = -1;
  let first = true;
  while (at < bytes.length) {
    let end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    let line = new TextDecoder('latin1').decode(bytes.subarray(at, end));
    at = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (first) { first = false; continue; }
    if (line === '') { dataOffset = at <= bytes.length ? at : -1; break; }
    if (line.startsWith('#')) continue;
    const kv = line.indexOf(':=');
    if (kv >= 0 && line.indexOf(': ') !== kv + 1) continue; // key/value pairs carry no image geometry
    const colon = line.indexOf(': ');
    if (colon < 0) unreadable(what, `header line "${line.slice(0, 60)}" is not "field: value"`);
    fields[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 2).trim();
  }
  return { fields, dataOffset };
}

/**
 * Reads a .nrrd (attached data) or .nhdr (detached data through `resolveDataFile`) into
 * the image model of readNifti: voxels in stored order (first axis fastest = x), spacing
 * from the norms of "space directions" (or "spacings"), and the voxel → RAS world affine
 * from "space directions" and "space origin" (an LPS header has x and y negated, as DICOM).
 * Encodings raw, gzip and ascii; 3-D scalar images (a 2-D image is one slice).
 */
export function readNrrd(bytes: Uint8Array, what = 'image', resolveDataFile?: NrrdDataFileResolver): LoadedImage {
  const { fields, dataOffset } = parseNrrdHeader(bytes, what);
  const need = (key: string): string => fields[key] ?? unreadable(what, `required field "${key}" is missing`);
  const type = TYPES[need('type').toLowerCase()];
  if (!type) unreadable(what, `type "${fields.type}" is not supported (int8, uint8, int16, uint16, int32, uint32, float, double)`);
  const dimension = Number(need('dimension'));
  const sizes = need('sizes').split(/\s+/).map(Number);
  if (!(dimension === 2 || dimension === 3) || sizes.length !== dimension || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    unreadable(what, `dimension ${fields.dimension} with sizes "${fields.sizes}": only 2-D and 3-D scalar images are supported`);
  }
  const dims = [sizes[0]!, sizes[1]!, sizes[2] ?? 1] as unknown as Dims;
  const encoding = need('encoding').toLowerCase();
  const endian = (fields.endian ?? 'little').toLowerCase();
  if (type!.bytes > 1 && encoding !== 'ascii' && encoding !== 'text' && encoding !== 'txt' && !['little', 'big'].includes(endian)) {
    unreadable(what, `endian "${fields.endian}" is not little or big`);
  }

  let payload: Uint8Array;
  const dataFile = fields['data file'] ?? fields.datafile;
  if (dataFile !== undefined) {
    if (/^LIST$/i.test(dataFile) || /%/.test(dataFile) || /\s/.test(dataFile.trim())) {
      unreadable(what, `"data file: ${dataFile}" (multiple data files) is not supported; give one data file`);
    }
    const resolved = resolveDataFile?.(dataFile);
    if (!resolved) unreadable(what, `detached data file "${dataFile}" was not found beside the header`);
    payload = resolved!;
  } else {
    if (dataOffset < 0) unreadable(what, 'the header has no blank line before the data and names no data file (truncated header?)');
    payload = bytes.subarray(dataOffset);
  }
  const lineSkip = Number(fields['line skip'] ?? fields.lineskip ?? 0);
  for (let k = 0; k < lineSkip; k++) {
    const nl = payload.indexOf(0x0a);
    if (nl < 0) unreadable(what, `line skip ${lineSkip} runs past the end of the data`);
    payload = payload.subarray(nl + 1);
  }
  const n = dims[0] * dims[1] * dims[2];
  const byteSkip = Number(fields['byte skip'] ?? fields.byteskip ?? 0);
  if (encoding === 'gzip' || encoding === 'gz') {
    try {
      payload = gunzipSync(payload);
    } catch (error) {
      unreadable(what, `gzip stream is truncated or corrupt (${(error as Error).message})`);
    }
  } else if (encoding === 'bzip2' || encoding === 'bz2' || encoding === 'hex') {
    unreadable(what, `encoding "${encoding}" is not supported (raw, gzip, ascii)`);
  } else if (!['raw', 'ascii', 'text', 'txt'].includes(encoding)) {
    unreadable(what, `encoding "${encoding}" is unknown`);
  }
  const data = new Float64Array(n);
  if (encoding === 'ascii' || encoding === 'text' || encoding === 'txt') {
    const tokens = new TextDecoder('latin1').decode(payload).trim().split(/[\s,]+/).filter(Boolean);
    if (tokens.length < n) unreadable(what, `voxel data is truncated (${tokens.length} values, sizes need ${n})`);
    for (let i = 0; i < n; i++) data[i] = Number(tokens[i]);
  } else {
    // byte skip -1: the data are the last n·bytes of the (decompressed) payload (spec §byte skip).
    const start = byteSkip === -1 ? payload.length - n * type!.bytes : byteSkip;
    if (start < 0 || payload.length < start + n * type!.bytes) {
      unreadable(what, `voxel data is truncated (${payload.length} bytes, sizes ${sizes.join('×')} of ${type!.name} need ${start + n * type!.bytes})`);
    }
    const view = new DataView(payload.buffer, payload.byteOffset + start, n * type!.bytes);
    const le = endian !== 'big';
    for (let i = 0; i < n; i++) data[i] = type!.read(view, i * type!.bytes, le);
  }

  const { spacing, affine } = geometry(fields, dimension, what);
  return {
    volume: { dims, spacing, data },
    geometry: { dims, spacing, affine, qformCode: 0, sformCode: 0, orientation: orientationCode(affine) },
    format: 'nrrd',
    datatype: type!.name,
  };
}

function geometry(fields: Record<string, string>, dimension: number, what: string): { spacing: Spacing; affine: number[][] } {
  const space = (fields.space ?? '').toLowerCase();
  const signs = space ? SPACES[space] : [1, 1, 1];
  if (!signs) unreadable(what, `space "${fields.space}" is not a 3-D patient space (RAS, LAS, LPS, scanner-xyz)`);
  const dirs = fields['space directions'] !== undefined ? vectors(fields['space directions'], what, 'space directions').filter((v) => v !== null) : [];
  let columns: number[][];
  if (dirs.length > 0) {
    if (dirs.length !== dimension || dirs.some((d) => d!.length !== 3)) {
      unreadable(what, `"space directions" must give ${dimension} 3-vectors`);
    }
    columns = dirs as number[][];
    if (dimension === 2) columns.push(cross(columns[0]!, columns[1]!, 1));
  } else {
    const sp = (fields.spacings ?? '').split(/\s+/).filter(Boolean).map(Number);
    const s = [0, 1, 2].map((k) => (Number.isFinite(sp[k]) && sp[k]! > 0 ? sp[k]! : 1));
    columns = [[s[0]!, 0, 0], [0, s[1]!, 0], [0, 0, s[2]!]];
  }
  const origin = fields['space origin'] !== undefined ? vectors(fields['space origin'], what, 'space origin')[0] ?? [0, 0, 0] : [0, 0, 0];
  if (origin.length !== 3) unreadable(what, '"space origin" must be a 3-vector');
  const spacing = columns.map((c) => Math.hypot(c[0]!, c[1]!, c[2]!)) as unknown as Spacing;
  if (spacing.some((s) => !(s > 0))) unreadable(what, '"space directions" has a zero vector');
  const affine = [0, 1, 2].map((w) => [signs![w]! * columns[0]![w]!, signs![w]! * columns[1]![w]!, signs![w]! * columns[2]![w]!, signs![w]! * origin[w]!]);
  affine.push([0, 0, 0, 1]);
  return { spacing, affine };
}

/** Unit normal × length, for the slice axis of a 2-D image. */
function cross(a: number[], b: number[], length: number): number[] {
  const c = [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  const norm = Math.hypot(c[0]!, c[1]!, c[2]!) || 1;
  return c.map((x) => (x / norm) * length);
}
