/** A binary label mask on a voxel grid: non-zero voxels are foreground. */
export interface Mask {
  dims: [number, number, number];
  /** Voxel spacing in mm (x, y, z). */
  spacing: [number, number, number];
  data: Uint8Array;
}

/**
 * Where the CommandService gets mask voxels to compute Dice and volume change itself
 * (the client's own numbers are never trusted). Adapters: the artifact store + a NIfTI
 * reader in production, a Map in tests.
 */
export interface MaskSource {
  /** Throws NotFoundError when no artifact has this sha256. */
  loadMask(sha256: string): Promise<Mask>;
}
