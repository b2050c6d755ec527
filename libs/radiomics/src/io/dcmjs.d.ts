// Minimal typing of the dcmjs surface this lib uses (dcmjs ships no types).
declare module 'dcmjs' {
  interface DicomDictInstance {
    meta: Record<string, { vr: string; Value: unknown[] }>;
    dict: Record<string, { vr: string; Value: unknown[] }>;
    write(options?: Record<string, unknown>): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDictInstance };
      DicomMetaDictionary: {
        naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>;
        denaturalizeDataset(dataset: Record<string, unknown>): Record<string, { vr: string; Value: unknown[] }>;
      };
      DicomDict: new (meta: Record<string, unknown>) => DicomDictInstance;
    };
    log: { setLevel(level: string): void };
  };
  export default dcmjs;
}

// The WebAssembly codec packages and the JPEG lossless decoder ship no usable types.
declare module '@cornerstonejs/codec-charls' {
  const factory: () => Promise<unknown>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg' {
  const factory: () => Promise<unknown>;
  export default factory;
}
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
