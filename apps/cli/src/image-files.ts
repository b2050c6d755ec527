import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  assertSameGrid,
  isDicomSeg,
  loadDicomDecoders,
  maskFromLabels,
  readDicomSeg,
  readDicomSeries,
  readNifti,
  readNrrd,
  RadiomicsInputError,
  segmentationLabelMap,
  segmentMask,
  sniffFormat,
  type DicomSegmentation,
  type LoadedImage,
  type Mask,
} from '@radledger/radiomics';
import { CliFailure } from './cli-failure.js';

/** Reads a file named by an option; a missing file is FILE_NOT_FOUND naming the option. */
export function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    throw new CliFailure(`error [FILE_NOT_FOUND]: --${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 2);
  }
}

/**
 * A NIfTI or NRRD file (a .nhdr reads its data file beside it), a DICOM file, or a
 * directory holding one DICOM series (any transfer syntax the decoders read).
 */
export async function loadImage(path: string, what: string): Promise<LoadedImage> {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new CliFailure(`error [FILE_NOT_FOUND]: --${what} ${path} does not exist`, 2);
  }
  if (isDir) {
    const files = readdirSync(path)
      .sort()
      .map((name) => ({ name, bytes: readBytes(join(path, name), what) }))
      .filter((f) => sniffFormat(f.bytes) === 'dicom');
    if (files.length === 0) {
      throw new RadiomicsInputError('IMAGE_UNREADABLE', `--${what} ${path}: the directory holds no DICOM file`);
    }
    await loadDicomDecoders();
    return readDicomSeries(files);
  }
  const bytes = readBytes(path, what);
  const format = sniffFormat(bytes);
  if (format === 'dicom') {
    await loadDicomDecoders();
    return readDicomSeries([{ name: path, bytes }]);
  }
  if (format === 'nrrd') {
    // NRRD spec: a detached data file name is relative to the header's folder.
    return readNrrd(bytes, path, (name) => {
      try {
        return new Uint8Array(readFileSync(join(dirname(path), name)));
      } catch {
        return undefined;
      }
    });
  }
  return readNifti(bytes, path);
}

/** A DICOM-SEG file read onto the image's grid (its series and frame of reference checked). */
export function loadSegmentation(path: string, image: LoadedImage, what = 'mask'): DicomSegmentation | undefined {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new CliFailure(`error [FILE_NOT_FOUND]: --${what} ${path} does not exist`, 2);
  }
  if (!isFile) return undefined;
  const bytes = readBytes(path, what);
  return sniffFormat(bytes) === 'dicom' && isDicomSeg(bytes) ? readDicomSeg(bytes, { name: path, image }) : undefined;
}

/**
 * The ROI mask on the image grid: from a label image (NIfTI, NRRD) with `label` (default
 * any nonzero voxel), or from a DICOM-SEG: segment `label`, or every segment when they do
 * not overlap (SEG_SEGMENTS_OVERLAP otherwise).
 */
export async function loadMask(path: string, image: LoadedImage, label?: number): Promise<Mask> {
  const seg = loadSegmentation(path, image);
  if (seg) return label === undefined ? maskFromLabels(segmentationLabelMap(seg)) : segmentMask(seg, label);
  const labels = await loadImage(path, 'mask');
  if (image.format !== 'dicom' && labels.format !== 'dicom') assertSameGrid(image.geometry, labels.geometry);
  return maskFromLabels(labels, label);
}
