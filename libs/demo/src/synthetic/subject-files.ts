import { preprocessVolume } from './demo-preprocessing.js';
import { encodeNiftiGz } from './nifti-gzip.io.js';
import { addPhaseGhost, generateSyntheticSubject, simulateIndependentReader, type Phenotype, type ScannerProfile } from './synthetic-brain.js';

export interface SubjectFilesRequest {
  seed: number;
  subjectId: string;
  scanner: ScannerProfile;
  phenotype: Phenotype;
  /** Patient motion during the FLAIR: an N/2 ghost at this fraction of the signal (image QC fails it). */
  flairGhost?: number;
}

/** Every file the demo uploads for one subject, as `.nii.gz` bytes. */
export interface SubjectFiles {
  t1c: Uint8Array;
  flair: Uint8Array;
  /** Bias-field corrected and z-scored (float32). */
  t1cPreprocessed: Uint8Array;
  flairPreprocessed: Uint8Array;
  automaticWholeTumour: Uint8Array;
  enhancing: Uint8Array;
  /** Ground truth whole tumour: the second reader's corrected mask. */
  wholeTumour: Uint8Array;
  /** Another reader's independent whole-tumour contour (reliability study). */
  readerBWholeTumour: Uint8Array;
}

export const SUBJECT_FILE_KEYS = ['t1c', 'flair', 't1cPreprocessed', 'flairPreprocessed', 'automaticWholeTumour', 'enhancing', 'wholeTumour', 'readerBWholeTumour'] as const satisfies ReadonlyArray<keyof SubjectFiles>;

/** The CPU-heavy part of a subject (generation, preprocessing, encoding): pure, deterministic, runnable in a worker. */
export function renderSubjectFiles(request: SubjectFilesRequest): SubjectFiles {
  const s = generateSyntheticSubject(request);
  const grid = { dims: s.dims, spacing: s.spacing };
  const flair = request.flairGhost ? addPhaseGhost(s.flair, request.flairGhost) : s.flair;
  return {
    t1c: encodeNiftiGz({ ...grid, datatype: 'int16', data: s.t1c, description: 'RadLedger synthetic demo T1c' }),
    flair: encodeNiftiGz({ ...grid, datatype: 'int16', data: flair, description: 'RadLedger synthetic demo FLAIR' }),
    t1cPreprocessed: encodeNiftiGz({ ...grid, datatype: 'float32', data: preprocessVolume(s.t1c, s.dims), description: 'RadLedger demo T1c bias-corrected, z-scored' }),
    flairPreprocessed: encodeNiftiGz({ ...grid, datatype: 'float32', data: preprocessVolume(flair, s.dims), description: 'RadLedger demo FLAIR bias-corrected, z-scored' }),
    automaticWholeTumour: encodeNiftiGz({ ...grid, datatype: 'uint8', data: s.automaticWholeTumour, description: 'RadLedger demo automatic whole tumour' }),
    enhancing: encodeNiftiGz({ ...grid, datatype: 'uint8', data: s.enhancing, description: 'RadLedger demo automatic enhancing tumour' }),
    wholeTumour: encodeNiftiGz({ ...grid, datatype: 'uint8', data: s.wholeTumour, description: 'RadLedger demo whole tumour, second reader' }),
    readerBWholeTumour: encodeNiftiGz({ ...grid, datatype: 'uint8', data: simulateIndependentReader(s.wholeTumour, s.tumour.centreMm), description: 'RadLedger demo whole tumour, independent reader' }),
  };
}

/** A follow-up post-contrast T1 of the same head with the tumour radii scaled (response assessment). */
export function renderFollowUpT1c(request: SubjectFilesRequest & { tumourScale: number }): { t1c: Uint8Array; enhancingDiameterMm: number } {
  const s = generateSyntheticSubject(request);
  return {
    t1c: encodeNiftiGz({ dims: s.dims, spacing: s.spacing, datatype: 'int16', data: s.t1c, description: `RadLedger synthetic demo T1c follow-up (tumour x${request.tumourScale})` }),
    enhancingDiameterMm: 2 * s.tumour.enhancingRadiusMm,
  };
}
