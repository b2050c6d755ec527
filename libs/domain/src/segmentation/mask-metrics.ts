import { ValidationError } from '@radledger/platform';
import type { Mask } from './mask-source.port.js';

/** Spacing equality tolerance (mm): NIfTI pixdim is float32. */
const SPACING_TOLERANCE_MM = 1e-4;

export function sameGrid(a: Pick<Mask, 'dims' | 'spacing'>, b: Pick<Mask, 'dims' | 'spacing'>): boolean {
  return a.dims.every((d, i) => d === b.dims[i]) && a.spacing.every((s, i) => Math.abs(s - b.spacing[i]!) <= SPACING_TOLERANCE_MM);
}

export function requireWellFormedMask(field: string, mask: Mask): void {
  const [x, y, z] = mask.dims;
  const ok = mask.dims.length === 3 && mask.dims.every((d) => Number.isInteger(d) && d > 0) && mask.spacing.length === 3 && mask.spacing.every((s) => Number.isFinite(s) && s > 0);
  if (!ok || mask.data.length !== x * y * z) {
    throw new ValidationError('MASK_INVALID', `${field}: expected a 3-D mask with positive dims/spacing and dims product voxels, got dims ${JSON.stringify(mask.dims)}, ${mask.data.length} voxels`, { field });
  }
}

export function foregroundCount(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

/**
 * Sørensen–Dice coefficient 2|A∩B| / (|A|+|B|) over non-zero voxels. Two empty masks are
 * identical, so 1. Same-length arrays are required (same grid).
 */
export function dice(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new ValidationError('MASK_GRID_MISMATCH', `dice: masks have ${a.length} and ${b.length} voxels`);
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const fa = a[i] !== 0;
    const fb = b[i] !== 0;
    if (fa) na++;
    if (fb) nb++;
    if (fa && fb) inter++;
  }
  return na + nb === 0 ? 1 : (2 * inter) / (na + nb);
}

export function voxelVolumeMm3(spacing: readonly [number, number, number]): number {
  return spacing[0] * spacing[1] * spacing[2];
}

export interface VolumeChange {
  parentVolumeMm3: number;
  newVolumeMm3: number;
  deltaMm3: number;
  /** (new - parent) / parent; null when the parent is empty. */
  relative: number | null;
}

/** Volume change of an edit on the parent's grid (grids must already be equal). */
export function volumeChange(parent: Mask, next: Mask): VolumeChange {
  const v = voxelVolumeMm3(parent.spacing);
  const parentVolumeMm3 = foregroundCount(parent.data) * v;
  const newVolumeMm3 = foregroundCount(next.data) * v;
  const deltaMm3 = newVolumeMm3 - parentVolumeMm3;
  return { parentVolumeMm3, newVolumeMm3, deltaMm3, relative: parentVolumeMm3 === 0 ? null : deltaMm3 / parentVolumeMm3 };
}
