import type { ArtifactStore } from '@radledger/artifacts';
import type { Mask, MaskSource } from '@radledger/domain';
import { isDicomSeg, loadDicomDecoders, maskFromLabels, readDicomSeg, readStoredImage, segmentationLabelMap, sniffFormat } from '@radledger/radiomics';

/**
 * MaskSource over the artifact store: the mask's bytes are re-hashed by the store on read, then
 * decoded as a label image (NIfTI, NRRD, DICOM; any nonzero voxel is foreground) or a DICOM-SEG
 * (every segment, on the SEG's own frames; overlapping segments are SEG_SEGMENTS_OVERLAP, so a
 * mask with no single foreground is refused before anything is recorded).
 */
export function artifactMaskSource(artifacts: Pick<ArtifactStore, 'get'>): MaskSource {
  return {
    async loadMask(sha256: string): Promise<Mask> {
      const bytes = await artifacts.get(sha256);
      const name = `mask ${sha256.slice(0, 12)}`;
      let labels;
      if (sniffFormat(bytes) === 'dicom' && isDicomSeg(bytes)) {
        await loadDicomDecoders();
        labels = segmentationLabelMap(readDicomSeg(bytes, { name }));
      } else {
        labels = await readStoredImage(bytes, name);
      }
      const mask = maskFromLabels(labels);
      return { dims: [...mask.dims] as [number, number, number], spacing: [...mask.spacing] as [number, number, number], data: mask.data };
    },
  };
}
