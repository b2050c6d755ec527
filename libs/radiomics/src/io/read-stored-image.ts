import { isDicomSeg, readDicomSeg, segmentationLabelMap, segmentMask } from '../dicom/dicom-seg.reader.js';
import { RadiomicsInputError } from '../radiomics.errors.js';
import type { Mask } from '../volume.js';
import { loadDicomDecoders } from './dicom-pixel-decoders.js';
import { readDicomSeries } from './dicom-series.reader.js';
import { assertSameGrid, maskFromLabels, readNifti, type LoadedImage } from './nifti.reader.js';
import { readNrrd } from './nrrd.reader.js';
import { sniffFormat } from './sniff-format.js';

/**
 * One stored file (an artifact: one blob) as an image, by its content: NIfTI, NRRD with
 * attached data, or one single-frame DICOM image (compressed syntaxes included; the
 * decoders are loaded here). A .nhdr (detached data) cannot be one blob: IMAGE_UNREADABLE.
 */
export async function readStoredImage(bytes: Uint8Array, what: string): Promise<LoadedImage> {
  switch (sniffFormat(bytes)) {
    case 'nifti':
    case 'nifti-gz':
      return readNifti(bytes, what);
    case 'nrrd':
      return readNrrd(bytes, what);
    case 'dicom':
      await loadDicomDecoders();
      return readDicomSeries([{ name: what, bytes }]);
    default:
      throw new RadiomicsInputError('IMAGE_UNREADABLE', `${what} is not a NIfTI, NRRD or DICOM image`);
  }
}

/**
 * One stored mask on the image's grid: a label image (NIfTI, NRRD; `label` or any nonzero
 * voxel) or a DICOM-SEG (segment `label`, or every segment when they do not overlap).
 */
export async function readStoredMask(bytes: Uint8Array, image: LoadedImage, what: string, label?: number): Promise<Mask> {
  if (sniffFormat(bytes) === 'dicom' && isDicomSeg(bytes)) {
    await loadDicomDecoders();
    const seg = readDicomSeg(bytes, { name: what, image });
    return label === undefined ? maskFromLabels(segmentationLabelMap(seg)) : segmentMask(seg, label);
  }
  const labels = await readStoredImage(bytes, what);
  if (image.format !== 'dicom' && labels.format !== 'dicom') assertSameGrid(image.geometry, labels.geometry);
  return maskFromLabels(labels, label);
}
