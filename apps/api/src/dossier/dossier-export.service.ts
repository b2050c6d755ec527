import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { exportDossier, reproducibilityFromRuntime, verifyDossier } from '@radledger/dossier';
import type { Runtime } from '@radledger/runtime';
import type { AppConfig } from '../config/app.config.js';
import { RADLEDGER_VERSION } from '@radledger/runtime';
import { APP_CONFIG, RUNTIME } from '../ledger/ledger.tokens.js';
import type { DossierExportModel } from './dossier-export.model.js';

/**
 * Writes a trial's dossier as a .zip under `<data dir>/dossiers/` with the runtime's ledger,
 * key and re-computation (the same path as the CLI `dossier`), then runs the offline verifier
 * on the written file with the ledger's key pinned, so the answer says whether what was
 * written verifies, not only that something was written.
 */
@Injectable()
export class DossierExportService {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async export(trialId: string, modelVersion: string | undefined): Promise<DossierExportModel> {
    const dir = join(this.config.dataDir, 'dossiers');
    mkdirSync(dir, { recursive: true });
    const out = this.freshPath(dir, trialId);
    const { location, manifest } = await exportDossier(
      {
        store: this.runtime.store,
        signer: this.runtime.signingKey.signer,
        radledgerVersion: RADLEDGER_VERSION,
        reproducibility: reproducibilityFromRuntime(this.runtime),
        revealForReport: async <T,>(value: T): Promise<T> => (await this.runtime.fieldCipher.reveal(value)).value,
      },
      { trialId, modelVersion, out },
    );
    const verification = await verifyDossier(location, { pinnedPublicKey: this.runtime.signingKey.verifierKey });
    const { checkpoint } = manifest;
    return {
      trialId,
      modelVersion: manifest.scope.modelVersion,
      location,
      sha256: await sha256File(location),
      bytes: statSync(location).size,
      eventCount: manifest.counts.events,
      decisionCount: manifest.counts.decisions,
      checkpoint: { note: checkpoint.note, origin: checkpoint.origin, treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, issuedAt: checkpoint.issuedAt, reused: checkpoint.reused },
      publicKey: manifest.publicKey,
      verification: { ok: verification.ok, checks: verification.checks.map((c) => ({ check: c.check, status: c.status, detail: c.detail, ...(c.failures ? { failures: c.failures } : {}) })) },
    };
  }

  /** `<trial>-<UTC timestamp>.zip`; the trial id is reduced to file-name characters, and a second export in the same millisecond gets a suffix. */
  private freshPath(dir: string, trialId: string): string {
    const safe = trialId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'trial';
    const stamp = this.runtime.clock.now().toISOString().replace(/[-:]/g, '').replace('.', '');
    for (let n = 1; ; n++) {
      const path = join(dir, `${safe}-${stamp}${n === 1 ? '' : `-${n}`}.zip`);
      if (!existsSync(path)) return path;
    }
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
