/**
 * Test fixture: the IBSI digital phantom (libs/radiomics/testdata/ibsi-phantom, see its README) as a
 * DiscretisedRoi. Grey levels are the phantom intensities (1..6, N_g = 6); no
 * discretisation. Decoded with nifti-reader-js after node:zlib gunzip.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as nifti from 'nifti-reader-js';
import type { DiscretisedRoi } from '../../../volume.js';

export const IBSI_DIR = join(process.cwd(), 'libs', 'radiomics', 'testdata', 'ibsi-phantom');

function readNifti(path: string): { dims: [number, number, number]; spacing: [number, number, number]; values: Float64Array } {
  const raw = gunzipSync(readFileSync(path));
  const buffer = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer;
  const header = nifti.readHeader(buffer);
  const image = nifti.readImage(header, buffer);
  const n = header.dims[1] * header.dims[2] * header.dims[3];
  let typed: ArrayLike<number>;
  switch (header.datatypeCode) {
    case nifti.NIFTI1.TYPE_INT16:
      typed = new Int16Array(image, 0, n);
      break;
    case nifti.NIFTI1.TYPE_UINT8:
      typed = new Uint8Array(image, 0, n);
      break;
    case nifti.NIFTI1.TYPE_FLOAT32:
      typed = new Float32Array(image, 0, n);
      break;
    case nifti.NIFTI1.TYPE_FLOAT64:
      typed = new Float64Array(image, 0, n);
      break;
    default:
      throw new Error(`phantom fixture: unexpected NIfTI datatype ${header.datatypeCode}`);
  }
  const slope = header.scl_slope === 0 || Number.isNaN(header.scl_slope) ? 1 : header.scl_slope;
  const inter = Number.isNaN(header.scl_inter) ? 0 : header.scl_inter;
  return {
    dims: [header.dims[1], header.dims[2], header.dims[3]],
    spacing: [header.pixDims[1], header.pixDims[2], header.pixDims[3]],
    values: Float64Array.from(typed, (v) => v * slope + inter),
  };
}

/** The phantom ROI (mask == 1), grey levels = intensities, N_g = 6 (IBSI reference README note 1). */
export function loadIbsiPhantom(): { roi: DiscretisedRoi; mask: Uint8Array } {
  const image = readNifti(join(IBSI_DIR, 'ibsi_1_digital_phantom', 'nifti', 'image', 'phantom.nii.gz'));
  const maskImage = readNifti(join(IBSI_DIR, 'ibsi_1_digital_phantom', 'nifti', 'mask', 'mask.nii.gz'));
  const mask = Uint8Array.from(maskImage.values, (v) => (v === 1 ? 1 : 0));
  const levels = Int32Array.from(image.values, (v, k) => (mask[k] === 1 ? v : 0));
  return { roi: { dims: image.dims, spacing: image.spacing, levels, nGreyLevels: 6 }, mask };
}

export interface ReferenceRow {
  family: string;
  featureName: string;
  code: string;
  value: number;
  valueText: string;
  tolerance: number;
  aggregationCode: string;
}

/** Splits one CSV line, honouring double-quoted fields. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k];
    if (quoted) {
      if (ch === '"' && line[k + 1] === '"') {
        field += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** Rows of a CSV file as objects keyed by the header line. */
export function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0]);
  return lines.slice(1).map((l) => {
    const cells = splitCsvLine(l);
    return Object.fromEntries(header.map((h, k) => [h, cells[k] ?? '']));
  });
}

/** The digital-phantom reference rows of one texture family (`family` as in the CSV, e.g. GLCM). */
export function referenceRows(family: string): ReferenceRow[] {
  return readCsv(join(IBSI_DIR, 'digital_phantom_reference.csv'))
    .filter((r) => r.family === family && r.config === 'digital phantom')
    .map((r) => ({
      family: r.family,
      featureName: r.feature_name,
      code: r.ibsi_code,
      value: Number(r.value),
      valueText: r.value,
      tolerance: Number(r.tolerance),
      aggregationCode: r.aggregation_code,
    }));
}

/**
 * The README's rule: |computed - value| ≤ tolerance, or for tolerance 0 the computed value
 * rounded to 3 significant figures equals the listed value.
 */
export function matchesReference(computed: number, row: ReferenceRow): boolean {
  if (!Number.isFinite(computed)) return false;
  if (row.tolerance > 0) return Math.abs(computed - row.value) <= row.tolerance;
  if (row.value === 0) return computed === 0;
  return Number(computed.toPrecision(3)) === row.value;
}
