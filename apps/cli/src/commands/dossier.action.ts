import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { FileSystemArtifactStore } from '@radledger/artifacts';
import { exportDossier, reproducibilityFromRuntime, DossierError, type DossierProgress, type ReproducibilityPorts } from '@radledger/dossier';
import { LockedModelRunner, OnnxPredictor } from '@radledger/inference';
import { loadOrCreateSigningKey } from '@radledger/ledger';
import { RADLEDGER_VERSION, recomputeFeatureSet, rerunDecision } from '@radledger/application';
import { CliFailure } from '../cli-failure.js';
import { loadPolicy, openCliRuntime, openExistingStore } from '../cli-runtime.js';
import { openCosignatureStore } from '@radledger/witness';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

export interface DossierOptions extends StoreFlags {
  trial: string;
  modelVersion?: string;
  out: string;
  origin: string;
  reproduce: boolean;
  trainingLineage: boolean;
  policy?: string;
}

const PHASE_LABEL: Record<DossierProgress['phase'], string> = {
  scan: 'verifying ledger',
  select: 'walking lineage',
  events: 'writing events + proofs',
  reproducibility: 're-computing',
  files: 'writing documents',
};

/** A cli-progress bar on a terminal; plain phase lines otherwise (CI logs). */
function progressReporter(): { onProgress: (p: DossierProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    let last = '';
    return {
      onProgress: (p) => {
        if (p.phase !== last) process.stderr.write(`${PHASE_LABEL[p.phase]}…\n`);
        last = p.phase;
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: '{phase} [{bar}] {value}/{total} ({percentage}%) eta {eta_formatted}', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  let phase: string | undefined;
  return {
    onProgress: (p) => {
      if (p.phase !== phase) {
        if (phase !== undefined) bar.stop();
        phase = p.phase;
        bar.start(Math.max(p.total, 1), p.done, { phase: PHASE_LABEL[p.phase].padEnd(24) });
      } else {
        bar.setTotal(Math.max(p.total, 1));
        bar.update(p.done, { phase: PHASE_LABEL[p.phase].padEnd(24) });
      }
    },
    stop: () => bar.stop(),
  };
}

/** `dossier`: export the regulatory dossier of a trial (optionally one model version) to a directory or a .zip. */
export async function dossier(options: DossierOptions): Promise<void> {
  const at = resolveLocations(options);
  const policy = loadPolicy(options.policy);
  const key = loadOrCreateSigningKey(at.signingKeyPath);
  if (key.created) process.stderr.write(`warning: created a new signing key ${key.path}; pin its public key to verify dossiers:\n${key.verifierKey}\n`);
  const store = await openExistingStore(at.store);
  const artifactsDir = join(at.dataDir, 'artifacts');
  let runner: LockedModelRunner | undefined;
  let reproducibility: ReproducibilityPorts | undefined;
  if (options.reproduce && existsSync(artifactsDir)) {
    const artifacts = new FileSystemArtifactStore(artifactsDir);
    runner = new LockedModelRunner({ artifactStore: artifacts, predictor: new OnnxPredictor(), verification: 'rehash-every-run' });
    const rehashingRunner = runner;
    // The runtime's own re-computation (as `reproduce` runs it), without opening a whole runtime (no writes here).
    reproducibility = reproducibilityFromRuntime({
      artifacts,
      features: { recompute: (recorded) => recomputeFeatureSet(artifacts, recorded) },
      models: { rerun: (input) => rerunDecision(rehashingRunner, input) },
    });
  }
  // Sealed free text (ADR 0007) is opened for report.html when this data dir holds the keys.
  const keyed = existsSync(at.keyEncryptionKeyPath) ? await openCliRuntime(at) : undefined;
  const revealForReport = keyed ? async <T,>(value: T): Promise<T> => (await keyed.fieldCipher.reveal(value)).value : undefined;
  const progress = progressReporter();
  // The witnesses' cosignatures are kept beside the ledger; the newest cosigned checkpoint covering the lineage is used.
  const cosignatures = at.store.startsWith('sqlite:') || at.store.startsWith('postgres') ? await openCosignatureStore(at.store, { readOnly: true }) : undefined;
  const witnessing = cosignatures ? { cosignatures: () => cosignatures.listCosignatures(), policy, timestamps: () => cosignatures.listTimestamps() } : undefined;
  try {
    const started = performance.now();
    const { location, manifest } = await exportDossier(
      { store, signer: key.signer, radledgerVersion: RADLEDGER_VERSION, origin: options.origin, reproducibility, revealForReport, witnessing },
      { trialId: options.trial, modelVersion: options.modelVersion, includeTrainingLineage: options.trainingLineage, out: options.out, onProgress: progress.onProgress },
    );
    progress.stop();
    const c = manifest.counts;
    process.stdout.write(
      `dossier written to ${location} in ${((performance.now() - started) / 1000).toFixed(1)} s\n` +
        `${c.events} events (${c.decisions} decisions, ${c.featureSets} feature sets, ${c.images} images, ${c.modelVersions} model versions, ${c.signatures} signatures)\n` +
        `checkpoint ${manifest.checkpoint.origin} size ${manifest.checkpoint.treeSize} root ${manifest.checkpoint.rootHash}${manifest.checkpoint.reused ? ' (reused)' : ' (new)'}\n` +
        `verify with: radledger verify-dossier ${location} --public-key ${manifest.publicKey}${manifest.witnessPolicy ? ' --policy <your policy file>' : ''}\n`,
    );
  } catch (error) {
    progress.stop();
    if (error instanceof DossierError) throw new CliFailure(`dossier: ${error.code}: ${error.message}`, 1);
    throw error;
  } finally {
    await runner?.close();
    await keyed?.close();
    await cosignatures?.close();
    await store.close();
  }
}
