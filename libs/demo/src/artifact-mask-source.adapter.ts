import type { ArtifactStore } from '@radledger/artifacts';
import type { Mask, MaskSource } from '@radledger/domain';
import { readNifti } from '@radledger/radiomics';

/**
 * MaskSource over the artifact store: the bytes are re-hashed by the store on read, parsed
 * by the radiomics NIfTI reader, and every non-zero voxel is foreground. The domain then
 * computes Dice and volume change itself from these voxels. A few recently read masks are
 * kept (content-addressed, so a cached mask can never be stale).
 */
export class ArtifactMaskSource implements MaskSource {
  private readonly recent = new Map<string, Mask>();

  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly keep = 8,
  ) {}

  async loadMask(sha256: string): Promise<Mask> {
    const cached = this.recent.get(sha256);
    if (cached) return cached;
    const image = readNifti(await this.artifacts.get(sha256), `mask ${sha256}`);
    const values = image.volume.data;
    const data = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = values[i] !== 0 && !Number.isNaN(values[i]) ? 1 : 0;
    const [x, y, z] = image.volume.dims;
    const [sx, sy, sz] = image.volume.spacing;
    const mask: Mask = { dims: [x, y, z], spacing: [sx, sy, sz], data };
    this.recent.set(sha256, mask);
    if (this.recent.size > this.keep) this.recent.delete(this.recent.keys().next().value as string);
    return mask;
  }
}
