import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSystemArtifactStore } from '@radledger/artifacts';
import { renderLedgerSr } from '@radledger/application';
import { openExistingStore } from '../cli-runtime.js';
import type { CliLocations } from './store-cli.options.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * `export --format dicom-sr --feature-set <id>… --store … --data-dir …`: a DICOM SR TID 1500 of
 * recorded feature sets of one image (libs/application renderLedgerSr, the same as the API's
 * exportDicomSr). A SEG written for a label-image mask goes beside the SR
 * (`<out>.seg.dcm`, `<out>.seg-<feature set>.dcm` when several). Appends nothing.
 */
export async function exportLedgerSr(options: { featureSet: string[]; out: string }, at: CliLocations): Promise<{ out: string; bytes: number; sha256: string; seg?: string; segs: string[] }> {
  const store = await openExistingStore(at.store);
  try {
    const artifacts = new FileSystemArtifactStore(join(at.dataDir, 'artifacts'));
    const report = await renderLedgerSr({ store, artifacts }, options.featureSet, { name: (i) => `--feature-set ${options.featureSet[i]}`, field: 'feature-set' });
    const segs = report.segs.map((s) => {
      const path = `${options.out}.seg${options.featureSet.length > 1 ? `-${s.featureSetId}` : ''}.dcm`;
      writeFileSync(path, s.bytes);
      return path;
    });
    writeFileSync(options.out, report.sr);
    return { out: options.out, bytes: report.sr.length, sha256: sha256(report.sr), ...(segs[0] ? { seg: segs[0] } : {}), segs };
  } finally {
    await store.close();
  }
}
