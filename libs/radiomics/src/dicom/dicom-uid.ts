import { createHash } from 'node:crypto';

/**
 * A DICOM UID under the 2.25 root (PS3.5 B.2: the decimal of a 128-bit UUID) taken from
 * sha256(seed). Derived objects get UIDs from what they are made of (the feature set, the
 * mask hash), so exporting the same record twice gives the same instance, not a new one.
 */
export function uidFromSeed(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 32);
  // RFC 4122 version 4 / variant bits, as a UUID-derived UID expects.
  const bytes = hex.match(/../g)!.map((h) => parseInt(h, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return `2.25.${BigInt(`0x${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`).toString()}`;
}

/** DICOM DA and TM of an instant, in UTC (the ledger's clock is UTC). */
export function dicomDateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString(); // 2026-12-04T19:25:33.123Z
  return { date: iso.slice(0, 10).replace(/-/g, ''), time: `${iso.slice(11, 19).replace(/:/g, '')}.${iso.slice(20, 23)}` };
}

export const SOP_CLASS = {
  segmentation: '1.2.840.10008.5.1.4.1.1.66.4',
  enhancedSr: '1.2.840.10008.5.1.4.1.1.88.22',
} as const;

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Implementation Class UID of RadLedger's DICOM writers (under our own 2.25 root). */
export const IMPLEMENTATION_CLASS_UID = uidFromSeed('RadLedger DICOM implementation');

/**
 * Sets SpecificCharacterSet to UTF-8 ('ISO_IR 192') only when a string needs it: plain
 * ASCII datasets keep the default repertoire, which every reader (and dcmtk's VR checker)
 * accepts.
 */
export function withCharacterSet(dataset: Record<string, unknown>): void {
  const text = JSON.stringify(dataset, (_k, v: unknown) => (v instanceof ArrayBuffer ? undefined : v));
  if (/[^\x00-\x7f]/.test(text)) dataset.SpecificCharacterSet = 'ISO_IR 192';
}
