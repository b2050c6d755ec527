import CharLS from '@cornerstonejs/codec-charls';
import OpenJPEG from '@cornerstonejs/codec-openjpeg';
import { Decoder as JpegLosslessDecoder } from 'jpeg-lossless-decoder-js';
import { RadiomicsInputError } from '../radiomics.errors.js';

type Dataset = Record<string, unknown>;

/** Transfer syntaxes (PS3.6 Table A-1) and how their pixels are read. */
const SYNTAXES: Record<string, { name: string; codec: 'native' | 'native-be' | 'rle' | 'jpeg-lossless' | 'jpeg-ls' | 'j2k' }> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', codec: 'native' },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', codec: 'native-be' },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', codec: 'rle' },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless, Non-Hierarchical (Process 14)', codec: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)', codec: 'jpeg-lossless' },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Lossy (Near-Lossless)', codec: 'jpeg-ls' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 (Lossless Only)', codec: 'j2k' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'j2k' },
};

/** Names of syntaxes we recognise but do not decode, for the error message. */
const REFUSED: Record<string, string> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline (Process 1), lossy',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (Process 2 & 4), lossy',
  '1.2.840.10008.1.2.4.201': 'High-Throughput JPEG 2000 (Lossless Only)',
  '1.2.840.10008.1.2.4.202': 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)',
  '1.2.840.10008.1.2.4.203': 'High-Throughput JPEG 2000',
  '1.2.840.10008.1.2.4.100': 'MPEG2 Main Profile / Main Level',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 AVC/H.264 High Profile',
};

export const SUPPORTED_TRANSFER_SYNTAXES: readonly string[] = Object.keys(SYNTAXES);

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  delete(): void;
}
interface WasmCodecs {
  charls: { JpegLSDecoder: new () => WasmDecoder };
  openjpeg: { J2KDecoder: new () => WasmDecoder };
}
let codecs: WasmCodecs | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the WebAssembly JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG) decoders, once. The
 * readers stay synchronous: callers that may meet compressed DICOM await this first (the
 * CLI and the upload intake do).
 */
export function loadDicomDecoders(): Promise<void> {
  loading ??= (async () => {
    const [charls, openjpeg] = await Promise.all([CharLS(), OpenJPEG()]);
    codecs = { charls, openjpeg } as unknown as WasmCodecs;
  })();
  return loading;
}

export interface PixelLayout {
  /** Names the file in error messages. */
  name: string;
  rows: number;
  cols: number;
  frames: number;
  bitsAllocated: number;
  samplesPerPixel: number;
  /** 1: two's complement samples. */
  pixelRepresentation?: number;
}

const unsupported = (name: string, uid: string, detail: string): never => {
  throw new RadiomicsInputError('TRANSFER_SYNTAX_UNSUPPORTED', `${name}: transfer syntax ${uid}${REFUSED[uid] ? ` (${REFUSED[uid]})` : ''} ${detail}`, { transferSyntax: uid });
};
const unreadable = (name: string, detail: string): never => {
  throw new RadiomicsInputError('IMAGE_UNREADABLE', `${name} is not a readable DICOM image: ${detail}`);
};

/**
 * The stored sample values of every frame (no modality LUT), decoded from native or
 * encapsulated pixel data. An unknown or lossy-only syntax is TRANSFER_SYNTAX_UNSUPPORTED,
 * naming it; a short or corrupt stream is IMAGE_UNREADABLE.
 */
export function decodePixelFrames(dataset: Dataset, transferSyntax: string, layout: PixelLayout): Float64Array[] {
  const syntax = SYNTAXES[transferSyntax];
  if (!syntax) {
    return unsupported(layout.name, transferSyntax || '(none)', `is not supported; readable: ${Object.values(SYNTAXES).map((s) => s.name).join(', ')}`);
  }
  if (layout.samplesPerPixel !== 1) unreadable(layout.name, `SamplesPerPixel ${layout.samplesPerPixel}: only greyscale images are read`);
  const parts = (dataset.PixelData as ArrayBuffer[] | undefined) ?? [];
  if (parts.length === 0) unreadable(layout.name, 'no pixel data');
  const frameSize = layout.rows * layout.cols;
  const signed = layout.pixelRepresentation === 1;
  if (syntax.codec === 'native' || syntax.codec === 'native-be') {
    return nativeFrames(concat(parts), layout, syntax.codec === 'native', signed);
  }
  if (layout.bitsAllocated === 1) unsupported(layout.name, transferSyntax, 'with 1-bit pixels is not supported');
  let frames: Uint8Array[];
  if (parts.length === layout.frames) frames = parts.map((p) => new Uint8Array(p));
  else if (layout.frames === 1) frames = [concat(parts)];
  else return unreadable(layout.name, `${parts.length} pixel data fragments for ${layout.frames} frames`);
  return frames.map((encoded, f) => {
    let samples: ArrayLike<number>;
    try {
      samples = decodeFrame(syntax.codec as 'rle' | 'jpeg-lossless' | 'jpeg-ls' | 'j2k', encoded, layout, transferSyntax);
    } catch (error) {
      if (error instanceof RadiomicsInputError) throw error;
      return unreadable(layout.name, `frame ${f + 1} could not be decoded as ${syntax.name} (${(error as Error).message})`);
    }
    if (samples.length < frameSize) unreadable(layout.name, `frame ${f + 1} decoded to ${samples.length} samples, ${frameSize} expected`);
    const out = new Float64Array(frameSize);
    const bits = layout.bitsAllocated;
    for (let i = 0; i < frameSize; i++) {
      let v = samples[i]!;
      // Decoders return the stored bits unsigned; two's complement for PixelRepresentation 1.
      if (signed && v >= 2 ** (bits - 1)) v -= 2 ** bits;
      out[i] = v;
    }
    return out;
  });
}

function concat(parts: readonly ArrayBuffer[]): Uint8Array {
  if (parts.length === 1) return new Uint8Array(parts[0]!);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

function nativeFrames(raw: Uint8Array, layout: PixelLayout, littleEndian: boolean, signed: boolean): Float64Array[] {
  const frameSize = layout.rows * layout.cols;
  const bits = layout.bitsAllocated;
  const needed = Math.ceil((layout.frames * frameSize * bits) / 8);
  if (raw.byteLength < needed) unreadable(layout.name, `pixel data is truncated (${raw.byteLength} bytes, ${needed} needed)`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const frames: Float64Array[] = [];
  for (let f = 0; f < layout.frames; f++) {
    const out = new Float64Array(frameSize);
    for (let i = 0; i < frameSize; i++) {
      const k = f * frameSize + i;
      if (bits === 1) out[i] = (raw[k >> 3]! >> (k & 7)) & 1; // PS3.5 8.1.1: LSB first, frames not padded
      else if (bits === 8) out[i] = signed ? view.getInt8(k) : view.getUint8(k);
      else if (bits === 16) out[i] = signed ? view.getInt16(2 * k, littleEndian) : view.getUint16(2 * k, littleEndian);
      else if (bits === 32) out[i] = signed ? view.getInt32(4 * k, littleEndian) : view.getUint32(4 * k, littleEndian);
      else unreadable(layout.name, `BitsAllocated ${bits} is not supported`);
    }
    frames.push(out);
  }
  return frames;
}

function decodeFrame(codec: 'rle' | 'jpeg-lossless' | 'jpeg-ls' | 'j2k', encoded: Uint8Array, layout: PixelLayout, uid: string): ArrayLike<number> {
  const bytesPerSample = layout.bitsAllocated / 8;
  switch (codec) {
    case 'rle':
      return decodeRle(encoded, layout);
    case 'jpeg-lossless': {
      const buffer = encoded.buffer.slice(encoded.byteOffset, encoded.byteOffset + encoded.byteLength) as ArrayBuffer;
      return new JpegLosslessDecoder().decode(buffer, 0, buffer.byteLength, bytesPerSample) as Uint8Array | Uint16Array;
    }
    case 'jpeg-ls':
    case 'j2k': {
      if (!codecs) return unsupported(layout.name, uid, 'needs the WebAssembly decoders: await loadDicomDecoders() before reading');
      const decoder = codec === 'jpeg-ls' ? new codecs.charls.JpegLSDecoder() : new codecs.openjpeg.J2KDecoder();
      try {
        decoder.getEncodedBuffer(encoded.length).set(encoded);
        decoder.decode();
        const info = decoder.getFrameInfo();
        if (info.width !== layout.cols || info.height !== layout.rows || info.componentCount !== 1) {
          unreadable(layout.name, `the codestream is ${info.width}×${info.height}×${info.componentCount}, the header says ${layout.cols}×${layout.rows}×1`);
        }
        const decoded = decoder.getDecodedBuffer();
        const copy = decoded.slice(); // the WASM memory is freed by delete()
        return info.bitsPerSample > 8 ? new Uint16Array(copy.buffer, 0, copy.byteLength >> 1) : copy;
      } finally {
        decoder.delete();
      }
    }
  }
}

/**
 * RLE Lossless (PS3.5 Annex G): a 64-byte header (segment count, 15 offsets), each segment
 * one byte plane (most significant first) coded as PackBits runs.
 */
function decodeRle(encoded: Uint8Array, layout: PixelLayout): Uint16Array | Uint8Array {
  const frameSize = layout.rows * layout.cols;
  const bytes = layout.bitsAllocated / 8;
  if (encoded.length < 64) unreadable(layout.name, 'RLE header is truncated');
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== bytes) unreadable(layout.name, `RLE has ${segments} segments, ${bytes} expected for ${layout.bitsAllocated}-bit greyscale`);
  const out = bytes === 2 ? new Uint16Array(frameSize) : new Uint8Array(frameSize);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : encoded.length;
    const shift = 8 * (bytes - 1 - s);
    let i = 0;
    let p = start;
    while (i < frameSize && p < end) {
      const n = (encoded[p++]! << 24) >> 24; // signed header byte
      if (n >= 0) {
        for (let k = 0; k <= n && i < frameSize; k++, i++) out[i] = out[i]! | (encoded[p++]! << shift);
      } else if (n !== -128) {
        const v = encoded[p++]!;
        for (let k = 0; k <= -n && i < frameSize; k++, i++) out[i] = out[i]! | (v << shift);
      }
    }
    if (i < frameSize) unreadable(layout.name, `RLE segment ${s + 1} is truncated (${i} of ${frameSize} samples)`);
  }
  return out;
}
