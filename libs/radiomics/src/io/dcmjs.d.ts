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
