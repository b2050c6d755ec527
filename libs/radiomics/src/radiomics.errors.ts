import { ValidationError } from '@radledger/platform';

/**
 * Stable codes for inputs the extractor refuses. Every refusal happens before any feature
 * is computed, so a caller that records results appends nothing on these errors.
 */
export type RadiomicsErrorCode =
  | 'IMAGE_UNREADABLE'
  | 'IMAGE_HEADER_INVALID'
  | 'IMAGE_TOO_LARGE'
  | 'DICOM_SERIES_INCOMPLETE'
  | 'MASK_GRID_MISMATCH'
  | 'MASK_EMPTY'
  | 'IMAGE_HAS_NAN'
  | 'SETTINGS_INVALID'
  | 'DISCRETISATION_INVALID'
  /** A transfer syntax no bundled decoder reads (the message names it). */
  | 'TRANSFER_SYNTAX_UNSUPPORTED'
  /** A DICOM-SEG that is not a readable Segmentation, or a SEG that cannot be written. */
  | 'DICOM_SEG_INVALID'
  /** A DICOM-SEG whose referenced series or frame of reference is not the image's. */
  | 'SEG_REFERENCES_OTHER_SERIES'
  /** Two segments claim the same voxel where one label per voxel is needed. */
  | 'SEG_SEGMENTS_OVERLAP';

export class RadiomicsInputError extends ValidationError {
  constructor(
    override readonly code: RadiomicsErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, details);
  }
}
