import { ValidationError } from '@radledger/platform';
import { DEFAULT_IMAGE_SIZE_LIMITS, deidentifyDicom, isDicomSeg, readDicomSeg, readNifti, readNrrd, sniffFormat, type ImageSizeLimits, type SniffedFormat } from '@radledger/radiomics';
import { inspectModel, readExplanationReference, type ModelSignature } from '@radledger/inference';

/** `explanation-reference`: the JSON rows a model version's decisions are explained against (never sniffed: asked for by name). */
export type ArtifactKind = 'image' | 'mask' | 'model' | 'explanation-reference';

export interface ArtifactIntake {
  /** The bytes to store: de-identified for DICOM, as uploaded otherwise. */
  bytes: Uint8Array;
  format: Exclude<SniffedFormat, 'unknown'> | 'explanation-reference';
  /** For an explanation reference: its inputs and row count. */
  reference?: { featureCodes: string[]; rows: number };
  dicom?: { uidHashes: Record<string, string>; blanked: string[] };
  model?: ModelSignature;
}

const KIND_FORMATS: Record<ArtifactKind, readonly SniffedFormat[]> = {
  image: ['nifti', 'nifti-gz', 'nrrd', 'dicom'],
  mask: ['nifti', 'nifti-gz', 'nrrd', 'dicom'],
  model: ['onnx'],
  'explanation-reference': [],
};

/**
 * Checks an upload by its content before anything is stored: NIfTI and NRRD are decoded in full (a
 * truncated .nii.gz fails here), DICOM is de-identified (PHI never reaches the store), ONNX
 * is opened with onnxruntime (unsupported operators fail here). Images larger than `limits`
 * (from the header, before inflating) are refused with IMAGE_TOO_LARGE, impossible header
 * fields with IMAGE_HEADER_INVALID.
 */
export async function takeInArtifact(bytes: Uint8Array, expectedKind?: ArtifactKind, limits: ImageSizeLimits = DEFAULT_IMAGE_SIZE_LIMITS): Promise<ArtifactIntake> {
  if (bytes.length === 0) throw new ValidationError('ARTIFACT_EMPTY', 'body: the upload is empty (0 bytes)', { field: 'body' });
  if (expectedKind === 'explanation-reference') {
    const doc = readExplanationReference(bytes);
    return { bytes, format: 'explanation-reference', reference: { featureCodes: doc.featureCodes, rows: doc.rows.length } };
  }
  const format = sniffFormat(bytes);
  if (format === 'unknown') {
    throw new ValidationError('ARTIFACT_FORMAT_UNSUPPORTED', 'body: expected a NIfTI (.nii, .nii.gz), NRRD (.nrrd), DICOM Part 10 or ONNX file', { field: 'body' });
  }
  if (expectedKind && !KIND_FORMATS[expectedKind].includes(format)) {
    throw new ValidationError('ARTIFACT_FORMAT_UNSUPPORTED', `kind: a ${expectedKind} must be ${KIND_FORMATS[expectedKind].join(' or ')}, the upload is ${format}`, { field: 'kind' });
  }
  switch (format) {
    case 'nifti':
    case 'nifti-gz':
      readNifti(bytes, 'upload', { limits });
      return { bytes, format };
    case 'nrrd':
      // One upload is one blob: a .nhdr whose data sit in another file is refused (IMAGE_UNREADABLE).
      readNrrd(bytes, 'upload');
      return { bytes, format };
    case 'dicom': {
      // A DICOM-SEG mask is decoded in full (frames, segments, geometry) before it is stored.
      if (isDicomSeg(bytes)) readDicomSeg(bytes, { name: 'upload' });
      const deidentified = deidentifyDicom(bytes);
      return { bytes: deidentified.bytes, format, dicom: { uidHashes: deidentified.uidHashes as Record<string, string>, blanked: deidentified.blanked } };
    }
    case 'onnx':
      return { bytes, format, model: await inspectModel(bytes) };
  }
}

export function parseArtifactKind(value: unknown): ArtifactKind | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'image' || value === 'mask' || value === 'model' || value === 'explanation-reference') return value;
  throw new ValidationError('VALIDATION_FAILED', `kind: expected image, mask, model or explanation-reference, got ${JSON.stringify(String(value).slice(0, 40))}`, { field: 'kind' });
}
