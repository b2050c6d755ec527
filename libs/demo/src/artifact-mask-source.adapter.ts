import type { ArtifactStore } from '@radledger/artifacts';
import type { Mask, MaskSource } from '@radledger/domain';
import { artifactMaskSource } from '@radledger/runtime';

/**
 * Kept for callers that adopted it early (libs/dossier test fixture): a class form of
 * libs/runtime's `artifactMaskSource`, which is the one implementation. New code should
 * use `artifactMaskSource(artifacts)` from @radledger/runtime.
 */
export class ArtifactMaskSource implements MaskSource {
  private readonly source: MaskSource;

  constructor(artifacts: Pick<ArtifactStore, 'get'>) {
    this.source = artifactMaskSource(artifacts);
  }

  loadMask(sha256: string): Promise<Mask> {
    return this.source.loadMask(sha256);
  }
}
