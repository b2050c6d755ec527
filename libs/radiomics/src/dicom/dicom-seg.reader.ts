import { parseDicom } from '../io/dicom-series.reader.js';
import { decodePixelFrames } from '../io/dicom-pixel-decoders.js';
import { orientationCode, type ImageGeometry, type LoadedImage } from '../io/nifti.reader.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { Dims, Mask, Spacing } from '../volume.js';
import type { Code } from './dicom-codes.js';
import { SOP_CLASS } from './dicom-uid.js';

export interface SegmentRead {
  number: number;
  label: string;
  algorithmType: string;
  algorithmName?: string;
  category?: Code;
  type?: Code;
  /** On the grid, x fastest: 0/1 (BINARY) or the fraction 0..1 (FRACTIONAL). */
  values: Float64Array;
}

export interface DicomSegmentation {
  sopInstanceUid: string;
  /** The SEG's own series. */
  seriesInstanceUid: string;
  segmentationType: 'BINARY' | 'FRACTIONAL';
  fractionalType?: string;
  segments: SegmentRead[];
  geometry: ImageGeometry;
  frameOfReferenceUid: string;
  /** The series the SEG says it was derived from (Common Instance Reference, else the frames' source images). */
  referencedSeriesInstanceUid?: string;
}

type Dataset = Record<string, unknown>;
const invalid = (name: string, detail: string): never => {
  throw new RadiomicsInputError('DICOM_SEG_INVALID', `${name} is not a readable DICOM-SEG: ${detail}`);
};
const num = (v: unknown): number => (Array.isArray(v) ? Number(v[0]) : Number(v));
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : typeof v === 'string' ? v.split('\\').map(Number) : v === undefined ? [] : [Number(v)]);
const seq = (v: unknown): Dataset[] => (Array.isArray(v) ? (v as Dataset[]) : v && typeof v === 'object' ? [v as Dataset] : []);
const code = (v: unknown): Code | undefined => {
  const c = seq(v)[0];
  return c ? { value: String(c.CodeValue ?? ''), scheme: String(c.CodingSchemeDesignator ?? ''), meaning: String(c.CodeMeaning ?? '') } : undefined;
};

/** Whether a parsed DICOM dataset is a Segmentation (for dispatch by content). */
export function isDicomSeg(bytes: Uint8Array): boolean {
  try {
    return parseDicom({ name: 'DICOM file', bytes }).dataset.SOPClassUID === SOP_CLASS.segmentation;
  } catch {
    return false;
  }
}

/**
 * Reads a DICOM-SEG (PS3.3 A.51), BINARY or FRACTIONAL, with any number of segments. With
 * `image`, frames are placed on the image's grid by ImagePositionPatient and the SEG must
 * reference the image's series and frame of reference when the image is DICOM
 * (SEG_REFERENCES_OTHER_SERIES); a frame off the grid is MASK_GRID_MISMATCH. Without an
 * image the grid spans the SEG's own frames. Overlapping segments are allowed here;
 * segmentationLabelMap refuses them.
 */
export function readDicomSeg(bytes: Uint8Array, options: { name?: string; image?: LoadedImage } = {}): DicomSegmentation {
  const name = options.name ?? 'DICOM-SEG';
  const { dataset: d, transferSyntax } = parseDicom({ name, bytes });
  if (d.SOPClassUID !== SOP_CLASS.segmentation) invalid(name, `SOP class ${String(d.SOPClassUID)} is not Segmentation Storage`);
  const rows = num(d.Rows);
  const cols = num(d.Columns);
  const nFrames = num(d.NumberOfFrames) || 1;
  const bits = num(d.BitsAllocated);
  const type = String(d.SegmentationType ?? '');
  if (type !== 'BINARY' && type !== 'FRACTIONAL') invalid(name, `SegmentationType ${type || '(none)'} is not BINARY or FRACTIONAL`);
  if ((type === 'BINARY' && bits !== 1) || (type === 'FRACTIONAL' && bits !== 8)) invalid(name, `BitsAllocated ${bits} does not fit SegmentationType ${type}`);
  const maxFraction = type === 'FRACTIONAL' ? num(d.MaximumFractionalValue) || 255 : 1;
  const frameSize = rows * cols;
  const frames = decodePixelFrames(d, transferSyntax, { name, rows, cols, frames: nFrames, bitsAllocated: bits, samplesPerPixel: 1 });

  const shared = seq(d.SharedFunctionalGroupsSequence)[0] ?? {};
  const perFrame = seq(d.PerFrameFunctionalGroupsSequence);
  if (perFrame.length !== nFrames) invalid(name, `PerFrameFunctionalGroupsSequence has ${perFrame.length} items for ${nFrames} frames`);
  const group = (f: number, key: string): Dataset | undefined => seq(perFrame[f]![key])[0] ?? seq(shared[key])[0];
  const iop = nums(group(0, 'PlaneOrientationSequence')?.ImageOrientationPatient);
  const pixelMeasures = group(0, 'PixelMeasuresSequence') ?? {};
  const pixelSpacing = nums(pixelMeasures.PixelSpacing);
  if (iop.length !== 6 || pixelSpacing.length !== 2) invalid(name, 'no ImageOrientationPatient or PixelSpacing in the functional groups');
  const positions: number[][] = [];
  const frameSegments: number[] = [];
  for (let f = 0; f < nFrames; f++) {
    const ipp = nums(group(f, 'PlanePositionSequence')?.ImagePositionPatient);
    const segment = num(group(f, 'SegmentIdentificationSequence')?.ReferencedSegmentNumber);
    if (ipp.length !== 3 || !Number.isInteger(segment)) invalid(name, `frame ${f + 1} has no ImagePositionPatient or ReferencedSegmentNumber`);
    positions.push(ipp);
    frameSegments.push(segment);
  }

  const referencedSeriesInstanceUid = seq(d.ReferencedSeriesSequence)[0]?.SeriesInstanceUID as string | undefined;
  const frameOfReferenceUid = String(d.FrameOfReferenceUID ?? '');
  const image = options.image;
  if (image?.dicom) {
    if (referencedSeriesInstanceUid !== undefined && referencedSeriesInstanceUid !== image.dicom.seriesInstanceUid) {
      throw new RadiomicsInputError(
        'SEG_REFERENCES_OTHER_SERIES',
        `${name} references series ${referencedSeriesInstanceUid}, the image is series ${image.dicom.seriesInstanceUid}`,
        { referenced: referencedSeriesInstanceUid, image: image.dicom.seriesInstanceUid },
      );
    }
    if (frameOfReferenceUid && image.dicom.frameOfReferenceUid && frameOfReferenceUid !== image.dicom.frameOfReferenceUid) {
      throw new RadiomicsInputError(
        'SEG_REFERENCES_OTHER_SERIES',
        `${name} is in frame of reference ${frameOfReferenceUid}, the image in ${image.dicom.frameOfReferenceUid}`,
      );
    }
  }
  const geometry = image?.geometry ?? segGrid(iop, pixelSpacing, positions, num(pixelMeasures.SpacingBetweenSlices) || num(pixelMeasures.SliceThickness), rows, cols, name);
  const [nx, ny, nz] = geometry.dims;
  if (nx !== cols || ny !== rows) {
    throw new RadiomicsInputError('MASK_GRID_MISMATCH', `${name} frames are ${cols}×${rows}, the image slices ${nx}×${ny}`);
  }
  const toVoxel = worldToVoxel(geometry);

  const segmentItems = seq(d.SegmentSequence);
  if (segmentItems.length === 0) invalid(name, 'SegmentSequence is empty');
  const segments: SegmentRead[] = segmentItems.map((s) => ({
    number: num(s.SegmentNumber),
    label: String(s.SegmentLabel ?? ''),
    algorithmType: String(s.SegmentAlgorithmType ?? ''),
    ...(s.SegmentAlgorithmName !== undefined ? { algorithmName: String(s.SegmentAlgorithmName) } : {}),
    ...(code(s.SegmentedPropertyCategoryCodeSequence) ? { category: code(s.SegmentedPropertyCategoryCodeSequence)! } : {}),
    ...(code(s.SegmentedPropertyTypeCodeSequence) ? { type: code(s.SegmentedPropertyTypeCodeSequence)! } : {}),
    values: new Float64Array(nx * ny * nz),
  }));
  const byNumber = new Map(segments.map((s) => [s.number, s]));
  const normal = cross(iop.slice(0, 3), iop.slice(3, 6));
  const planeNormal = cross(columnLps(geometry, 0), columnLps(geometry, 1));
  if (Math.abs(dot(normal, planeNormal) / (norm(planeNormal) || 1)) < 0.9999) {
    throw new RadiomicsInputError('MASK_GRID_MISMATCH', `${name} frame orientation ${iop.join('\\')} differs from the image's`);
  }
  for (let f = 0; f < nFrames; f++) {
    const segment = byNumber.get(frameSegments[f]!);
    if (!segment) invalid(name, `frame ${f + 1} names segment ${frameSegments[f]}, which SegmentSequence lacks`);
    const [vx, vy, vz] = toVoxel(positions[f]!);
    const z = Math.round(vz!);
    if (Math.abs(vx!) > 1e-3 || Math.abs(vy!) > 1e-3 || Math.abs(vz! - z) > 1e-3 || z < 0 || z >= nz) {
      throw new RadiomicsInputError('MASK_GRID_MISMATCH', `${name} frame ${f + 1} at ${positions[f]!.join('\\')} is not a slice of the image grid (voxel ${[vx, vy, vz].map((v) => v!.toFixed(3)).join(', ')})`);
    }
    const frame = frames[f]!;
    const base = z * frameSize;
    for (let i = 0; i < frameSize; i++) {
      const v = frame[i]!;
      if (v) segment!.values[base + i] = Math.max(segment!.values[base + i]!, v / maxFraction);
    }
  }
  return {
    sopInstanceUid: String(d.SOPInstanceUID ?? ''),
    seriesInstanceUid: String(d.SeriesInstanceUID ?? ''),
    segmentationType: type as 'BINARY' | 'FRACTIONAL',
    ...(type === 'FRACTIONAL' ? { fractionalType: String(d.SegmentationFractionalType ?? '') } : {}),
    segments,
    geometry,
    frameOfReferenceUid,
    ...(referencedSeriesInstanceUid !== undefined ? { referencedSeriesInstanceUid } : {}),
  };
}

/** One segment as a mask: BINARY voxels, or FRACTIONAL voxels with fraction ≥ threshold. */
export function segmentMask(seg: DicomSegmentation, segmentNumber: number, threshold = 0.5): Mask {
  const s = seg.segments.find((x) => x.number === segmentNumber);
  if (!s) {
    throw new RadiomicsInputError('MASK_EMPTY', `DICOM-SEG has no segment ${segmentNumber} (segments: ${seg.segments.map((x) => `${x.number} ${x.label}`).join(', ')})`);
  }
  const data = Uint8Array.from(s.values, (v) => (v >= threshold ? 1 : 0));
  if (!data.some((v) => v)) throw new RadiomicsInputError('MASK_EMPTY', `DICOM-SEG segment ${segmentNumber} (${s.label}) has no voxel`);
  return { dims: seg.geometry.dims, spacing: seg.geometry.spacing, data };
}

/**
 * The segments as one label image (voxel = segment number, 0 outside), the shape
 * maskFromLabels takes. Two segments on one voxel have no single label: SEG_SEGMENTS_OVERLAP.
 */
export function segmentationLabelMap(seg: DicomSegmentation, threshold = 0.5): LoadedImage {
  const n = seg.geometry.dims[0] * seg.geometry.dims[1] * seg.geometry.dims[2];
  const data = new Float64Array(n);
  for (const s of seg.segments) {
    for (let i = 0; i < n; i++) {
      if (s.values[i]! < threshold) continue;
      if (data[i] !== 0) {
        const [nx, ny] = seg.geometry.dims;
        const at = [i % nx, Math.floor(i / nx) % ny, Math.floor(i / (nx * ny))];
        throw new RadiomicsInputError(
          'SEG_SEGMENTS_OVERLAP',
          `DICOM-SEG segments ${data[i]} and ${s.number} overlap at voxel (${at.join(', ')}); choose one segment (label)`,
          { segments: [data[i], s.number], voxel: at },
        );
      }
      data[i] = s.number;
    }
  }
  return { volume: { dims: seg.geometry.dims, spacing: seg.geometry.spacing, data }, geometry: seg.geometry, format: 'dicom-seg', datatype: 'uint16' };
}

const cross = (a: number[], b: number[]): number[] => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
const dot = (a: number[], b: number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
const norm = (a: number[]): number => Math.hypot(a[0]!, a[1]!, a[2]!);
const columnLps = (g: ImageGeometry, k: number): number[] => [-g.affine[0]![k]!, -g.affine[1]![k]!, g.affine[2]![k]!];

/** LPS patient position → fractional voxel index (x, y, z) on the grid. */
function worldToVoxel(g: ImageGeometry): (lps: number[]) => number[] {
  const m = [0, 1, 2].map((k) => columnLps(g, k));
  const o = columnLps(g, 3);
  // Solve [m0 m1 m2] v = p − o (3×3, Cramer's rule).
  const det = dot(m[0]!, cross(m[1]!, m[2]!));
  return (p) => {
    const r = [p[0]! - o[0]!, p[1]! - o[1]!, p[2]! - o[2]!];
    return [dot(r, cross(m[1]!, m[2]!)) / det, dot(m[0]!, cross(r, m[2]!)) / det, dot(m[0]!, cross(m[1]!, r)) / det];
  };
}

/** A grid spanning the SEG's own frames (no image given): slices along the frame normal. */
function segGrid(iop: number[], pixelSpacing: number[], positions: number[][], spacingBetween: number, rows: number, cols: number, name: string): ImageGeometry {
  const r = iop.slice(0, 3);
  const c = iop.slice(3, 6);
  const n = cross(r, c);
  const along = positions.map((p) => dot(p, n));
  const lo = Math.min(...along);
  const hi = Math.max(...along);
  const first = positions[along.indexOf(lo)]!;
  const step = spacingBetween > 0 ? spacingBetween : distinctStep(along);
  const nz = step > 0 ? Math.round((hi - lo) / step) + 1 : 1;
  if (step > 0 && Math.abs((hi - lo) / step - (nz - 1)) > 1e-3) invalid(name, 'frame positions are not on an even slice grid');
  const dims = [cols, rows, nz] as unknown as Dims;
  const spacing = [pixelSpacing[1]!, pixelSpacing[0]!, step > 0 ? step : 1] as unknown as Spacing;
  const dirs = [r, c, n];
  const affine = [0, 1, 2].map((w) => {
    const sign = w < 2 ? -1 : 1; // LPS → RAS
    return [sign * dirs[0]![w]! * spacing[0], sign * dirs[1]![w]! * spacing[1], sign * dirs[2]![w]! * spacing[2], sign * first[w]!];
  });
  affine.push([0, 0, 0, 1]);
  return { dims, spacing, affine, qformCode: 0, sformCode: 0, orientation: orientationCode(affine) };
}

function distinctStep(along: number[]): number {
  const sorted = [...new Set(along.map((a) => Number(a.toFixed(4))))].sort((a, b) => a - b);
  let step = Infinity;
  for (let k = 1; k < sorted.length; k++) step = Math.min(step, sorted[k]! - sorted[k - 1]!);
  return Number.isFinite(step) ? step : 0;
}
