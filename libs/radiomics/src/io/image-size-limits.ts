/**
 * How large an image a reader accepts, checked from the header before any voxel is inflated
 * or allocated (each voxel becomes 8 bytes of Float64Array). The API sets them from
 * RADLEDGER_MAX_DECOMPRESSED_BYTES and RADLEDGER_MAX_VOXELS; the defaults hold a 512³
 * float32 volume with room to spare.
 */
export interface ImageSizeLimits {
  /** Largest decompressed file (header, extensions and voxel data), bytes. */
  maxDecompressedBytes: number;
  /** Largest voxel count (product of the header's dimensions). */
  maxVoxels: number;
}

export const DEFAULT_IMAGE_SIZE_LIMITS: Readonly<ImageSizeLimits> = Object.freeze({
  maxDecompressedBytes: 1024 * 1024 * 1024,
  maxVoxels: 512 * 1024 * 1024,
});
