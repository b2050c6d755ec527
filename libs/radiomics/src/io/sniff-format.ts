import { constants, gunzipSync } from 'node:zlib';

export type SniffedFormat = 'nifti' | 'nifti-gz' | 'nrrd' | 'dicom' | 'onnx' | 'unknown';

const ascii = (b: Uint8Array, at: number, len: number): string =>
  String.fromCharCode(...b.subarray(at, at + len));

function isNiftiHeader(b: Uint8Array): boolean {
  if (b.length < 348) return false;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n1 = v.getInt32(0, true) === 348 || v.getInt32(0, false) === 348;
  if (n1 && ['n+1\0', 'ni1\0'].includes(ascii(b, 344, 4))) return true;
  const n2 = v.getInt32(0, true) === 540 || v.getInt32(0, false) === 540;
  return n2 && ['n+2\0', 'ni2\0'].includes(ascii(b, 4, 4));
}

/**
 * Identifies an upload by its bytes, not its name: NIfTI-1/2 header magic, a gzip stream
 * holding one (only the first 64 KiB are inflated), NRRD magic ('NRRD000n', .nrrd and
 * .nhdr), the DICOM Part 10 preamble ('DICM' at 128), or an ONNX ModelProto (protobuf field 1 ir_version, then a known ModelProto field).
 */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (bytes.length >= 132 && ascii(bytes, 128, 4) === 'DICM') return 'dicom';
  if (bytes.length >= 8 && /^NRRD000[1-5]$/.test(ascii(bytes, 0, 8))) return 'nrrd';
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      const head = gunzipSync(bytes.subarray(0, 65536), { finishFlush: constants.Z_SYNC_FLUSH });
      return isNiftiHeader(head) ? 'nifti-gz' : 'unknown';
    } catch {
      return 'unknown';
    }
  }
  if (isNiftiHeader(bytes)) return 'nifti';
  if (bytes.length >= 4 && bytes[0] === 0x08) {
    // ir_version varint, then the next field tag.
    let k = 1;
    while (k < bytes.length && k < 6 && bytes[k]! & 0x80) k++;
    const tag = bytes[k + 1];
    // ModelProto fields: opset_import 8 (0x42), producer_name 2 (0x12), producer_version 3,
    // domain 4, model_version 5 (0x28), doc_string 6, graph 7 (0x3a).
    if (tag !== undefined && [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42].includes(tag)) return 'onnx';
  }
  return 'unknown';
}
