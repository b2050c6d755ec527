/** What an acquisition record carries about how it was acquired (the ImageAcquired fields, as recorded or missing). */
export interface AcquisitionMetadata {
  fieldStrengthT?: number | null;
  trMs?: number | null;
  teMs?: number | null;
  sliceThicknessMm?: number | null;
  scanner?: { vendor?: string | null; model?: string | null } | null;
  contrast?: { agent?: string | null; injectionRateMlPerS?: number | null; delayS?: number | null } | null;
}

export const ACQUISITION_FIELDS = [
  'fieldStrengthT',
  'trMs',
  'teMs',
  'sliceThicknessMm',
  'scanner.vendor',
  'scanner.model',
  'contrast.agent',
  'contrast.injectionRateMlPerS',
  'contrast.delayS',
] as const;
export type AcquisitionField = (typeof ACQUISITION_FIELDS)[number];

/** The scan metadata a radiomics protocol needs to interpret intensities (METRICS "imaging protocol"; IBSI 2 reporting). */
export const DEFAULT_REQUIRED_FIELDS: readonly AcquisitionField[] = ['fieldStrengthT', 'trMs', 'teMs', 'sliceThicknessMm', 'scanner.vendor', 'scanner.model'];
/** Contrast timing, required when the protocol prescribes contrast. */
export const CONTRAST_FIELDS: readonly AcquisitionField[] = ['contrast.agent', 'contrast.injectionRateMlPerS', 'contrast.delayS'];

export interface MetadataCompleteness {
  required: AcquisitionField[];
  missing: AcquisitionField[];
  /** Present / required, 1 when nothing is required. */
  completeness: number;
}

function present(m: AcquisitionMetadata, field: AcquisitionField): boolean {
  const [head, tail] = field.split('.') as [string, string | undefined];
  const value = tail === undefined ? (m as Record<string, unknown>)[head] : ((m as Record<string, Record<string, unknown> | null | undefined>)[head] ?? undefined)?.[tail];
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.trim().length > 0;
}

export function metadataCompleteness(metadata: AcquisitionMetadata, required: readonly AcquisitionField[]): MetadataCompleteness {
  const unique = [...new Set(required)];
  const missing = unique.filter((f) => !present(metadata, f));
  return { required: unique, missing, completeness: unique.length === 0 ? 1 : (unique.length - missing.length) / unique.length };
}
