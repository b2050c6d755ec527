import dcmjs from 'dcmjs';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { Dims, Spacing } from '../volume.js';
import { decodePixelFrames } from './dicom-pixel-decoders.js';
import { orientationCode, type LoadedImage } from './nifti.reader.js';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

export interface DicomFile {
  /** Names the file in error messages. */
  name: string;
  bytes: Uint8Array;
}

const MODALITIES = new Set(['CT', 'MR', 'PT']);

interface Slice {
  name: string;
  position: number;
  ipp: number[];
  pixels: Float64Array;
  sopInstanceUid: string;
}

const unreadable = (name: string, detail: string): never => {
  throw new RadiomicsInputError('IMAGE_UNREADABLE', `${name} is not a readable DICOM image: ${detail}`);
};

const num = (v: unknown): number => (Array.isArray(v) ? Number(v[0]) : Number(v));
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : typeof v === 'string' ? v.split('\\').map(Number) : []);

export function parseDicom(file: DicomFile): { dataset: Record<string, unknown>; transferSyntax: string } {
  if (file.bytes.length === 0) unreadable(file.name, 'the file is empty (0 bytes)');
  const buffer = file.bytes.buffer.slice(file.bytes.byteOffset, file.bytes.byteOffset + file.bytes.byteLength) as ArrayBuffer;
  try {
    const dict = DicomMessage.readFile(buffer);
    const transferSyntax = String(dict.meta['00020010']?.Value?.[0] ?? '');
    return { dataset: DicomMetaDictionary.naturalizeDataset(dict.dict), transferSyntax };
  } catch (error) {
    return unreadable(file.name, (error as Error).message);
  }
}

/**
 * Reads a single-frame CT/MR/PT series into one volume: slices sorted by
 * ImagePositionPatient projected on the slice normal (row × column direction), each
 * rescaled by its own RescaleSlope/RescaleIntercept (PET slopes vary per slice). A gap in
 * the positions (a missing slice) or uneven spacing is refused: DICOM_SERIES_INCOMPLETE.
 * Voxel x runs along a row (columns), y down the columns (rows), z along the normal.
 */
export function readDicomSeries(files: readonly DicomFile[]): LoadedImage {
  if (files.length === 0) {
    throw new RadiomicsInputError('DICOM_SERIES_INCOMPLETE', 'DICOM series has no files');
  }
  let ref: { rows: number; cols: number; iop: number[]; spacing: number[]; series: string; modality: string; dataset: Record<string, unknown> } | undefined;
  const slices: Slice[] = [];
  let normal = [0, 0, 1];
  for (const file of files) {
    const { dataset: d, transferSyntax } = parseDicom(file);
    const modality = String(d.Modality ?? '');
    if (!MODALITIES.has(modality)) unreadable(file.name, `modality ${modality || '(none)'} is not CT, MR or PT`);
    if ((num(d.NumberOfFrames) || 1) > 1) unreadable(file.name, 'multi-frame images are not supported');
    const rows = num(d.Rows);
    const cols = num(d.Columns);
    const iop = nums(d.ImageOrientationPatient);
    const ipp = nums(d.ImagePositionPatient);
    const spacing = nums(d.PixelSpacing);
    if (iop.length !== 6 || ipp.length !== 3 || spacing.length !== 2 || !(rows > 0) || !(cols > 0)) {
      unreadable(file.name, 'missing Rows/Columns/ImageOrientationPatient/ImagePositionPatient/PixelSpacing');
    }
    const series = String(d.SeriesInstanceUID ?? '');
    if (!ref) {
      ref = { rows, cols, iop, spacing, series, modality, dataset: d };
      const r = iop.slice(0, 3);
      const c = iop.slice(3, 6);
      normal = [r[1]! * c[2]! - r[2]! * c[1]!, r[2]! * c[0]! - r[0]! * c[2]!, r[0]! * c[1]! - r[1]! * c[0]!];
    } else if (
      rows !== ref.rows ||
      cols !== ref.cols ||
      series !== ref.series ||
      iop.some((v, k) => Math.abs(v - ref!.iop[k]!) > 1e-4) ||
      spacing.some((v, k) => Math.abs(v - ref!.spacing[k]!) > 1e-4)
    ) {
      unreadable(file.name, 'its series, size, orientation or pixel spacing differs from the first file');
    }
    const bits = num(d.BitsAllocated);
    const n = rows * cols;
    // Native or encapsulated (RLE, JPEG lossless, JPEG-LS, JPEG 2000); others are TRANSFER_SYNTAX_UNSUPPORTED.
    const [stored] = decodePixelFrames(d, transferSyntax, {
      name: file.name,
      rows,
      cols,
      frames: 1,
      bitsAllocated: bits,
      samplesPerPixel: num(d.SamplesPerPixel) || 1,
      pixelRepresentation: num(d.PixelRepresentation),
    });
    const slope = d.RescaleSlope === undefined ? 1 : num(d.RescaleSlope);
    const intercept = d.RescaleIntercept === undefined ? 0 : num(d.RescaleIntercept);
    const pixels = new Float64Array(n);
    for (let i = 0; i < n; i++) pixels[i] = stored![i]! * slope + intercept; // DICOM PS3.3 C.11.1.1.2 modality LUT
    const position = ipp[0]! * normal[0]! + ipp[1]! * normal[1]! + ipp[2]! * normal[2]!;
    slices.push({ name: file.name, position, ipp, pixels, sopInstanceUid: String(d.SOPInstanceUID ?? '') });
  }
  slices.sort((a, b) => a.position - b.position || (a.name < b.name ? -1 : 1));
  const gaps = slices.slice(1).map((s, k) => s.position - slices[k]!.position);
  let sliceSpacing = 1;
  if (gaps.length > 0) {
    const sorted = [...gaps].sort((a, b) => a - b);
    const typical = sorted[0]!;
    for (let k = 0; k < gaps.length; k++) {
      const g = gaps[k]!;
      if (g < 1e-4) {
        throw new RadiomicsInputError('DICOM_SERIES_INCOMPLETE', `DICOM series has two slices at the same position (${slices[k]!.name}, ${slices[k + 1]!.name})`);
      }
      if (Math.abs(g - typical) > 0.01 * typical + 1e-3) {
        const missing = Math.round(g / typical) - 1;
        throw new RadiomicsInputError(
          'DICOM_SERIES_INCOMPLETE',
          `DICOM series spacing is uneven: ${g.toFixed(3)} mm between ${slices[k]!.name} and ${slices[k + 1]!.name} where the others are ${typical.toFixed(3)} mm${missing >= 1 ? ` (${missing} slice(s) missing)` : ''}`,
          { gapMm: g, expectedMm: typical, after: slices[k]!.name },
        );
      }
    }
    sliceSpacing = typical;
  }
  const { rows, cols, iop, spacing } = ref!;
  const dims = [cols, rows, slices.length] as unknown as Dims;
  const vox = [spacing[1]!, spacing[0]!, sliceSpacing] as unknown as Spacing; // PixelSpacing = [row, column] spacing
  const data = new Float64Array(cols * rows * slices.length);
  slices.forEach((s, z) => data.set(s.pixels, z * rows * cols));
  // DICOM patient space is LPS; the affine is given in RAS like NIfTI (negate x and y).
  const dirs = [iop.slice(0, 3), iop.slice(3, 6), normal];
  const origin = slices[0]!.ipp;
  const affine = [0, 1, 2].map((w) => {
    const sign = w < 2 ? -1 : 1;
    return [sign * dirs[0]![w]! * vox[0], sign * dirs[1]![w]! * vox[1], sign * dirs[2]![w]! * vox[2], sign * origin[w]!];
  });
  affine.push([0, 0, 0, 1]);
  const d = ref!.dataset;
  const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? String((v as { Alphabetic?: string }).Alphabetic ?? (Array.isArray(v) ? ((v[0] as { Alphabetic?: string })?.Alphabetic ?? v[0] ?? '') : '')) : String(v));
  return {
    volume: { dims, spacing: vox, data },
    geometry: { dims, spacing: vox, affine, qformCode: 0, sformCode: 0, orientation: orientationCode(affine) },
    format: 'dicom',
    datatype: 'float64',
    dicom: {
      studyInstanceUid: text(d.StudyInstanceUID),
      seriesInstanceUid: ref!.series,
      frameOfReferenceUid: text(d.FrameOfReferenceUID),
      sopClassUid: text(d.SOPClassUID),
      sopInstanceUids: slices.map((s) => s.sopInstanceUid),
      modality: ref!.modality,
      patient: { PatientName: text(d.PatientName), PatientID: text(d.PatientID), PatientBirthDate: text(d.PatientBirthDate), PatientSex: text(d.PatientSex) },
      study: { StudyDate: text(d.StudyDate), StudyTime: text(d.StudyTime), StudyID: text(d.StudyID), AccessionNumber: text(d.AccessionNumber), ReferringPhysicianName: text(d.ReferringPhysicianName) },
    },
  };
}
