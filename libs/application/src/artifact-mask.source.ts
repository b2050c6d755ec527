import type { ArtifactStore } from '@radledger/artifacts';
import type { Mask, MaskSource } from '@radledger/domain';
import { maskFromLabels, readNifti } from '@radledger/radiomics';

/**
 * MaskSource over the artifact store: the mask's bytes are re-hashed by the store on read,
 * then decoded as NIfTI (any nonzero voxel is foreground).
 */
export function artifactMaskSource(artifacts: Pick<ArtifactStore, 'get'>): MaskSource {
  return {
    async loadMask(sha256: string): Promise<Mask> {
      const bytes = await artifacts.get(sha256);
      const mask = maskFromLabels(readNifti(bytes, `mask ${sha256.slice(0, 12)}`));
      return { dims: [...mask.dims] as [number, number, number], spacing: [...mask.spacing] as [number, number, number], data: mask.data };
    },
  };
}
