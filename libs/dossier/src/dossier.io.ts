import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BundleReader, BundleSink } from './bundle-sink.port.js';
import { DirectoryBundleReader, DirectoryBundleSink } from './adapters/directory-bundle.adapter.js';
import { extractZipToDirectory, ZipBundleReader, ZipBundleSink } from './adapters/zip-bundle.adapter.js';
import { DossierError } from './dossier.errors.js';
import { assembleDossier, type DossierExportDeps, type DossierExportOptions, type DossierExportResult } from './export-dossier.js';
import { verifyDossierBundle, type DossierVerification, type VerifyDossierOptions } from './verify-dossier.js';

/** A directory, or a zip file when `out` ends in `.zip`. */
export function openBundleSink(out: string): BundleSink {
  if (typeof out !== 'string' || out.trim() === '') throw new DossierError('DOSSIER_OUT_INVALID', 'out must be a directory path or a path ending in .zip');
  return out.toLowerCase().endsWith('.zip') ? new ZipBundleSink(out) : new DirectoryBundleSink(out);
}

/**
 * Exports the dossier of a trial (optionally one model version) to `out` (a directory, or a
 * zip when it ends in .zip). This is what the CLI and the GraphQL `exportDossier` mutation call.
 */
export async function exportDossier(deps: DossierExportDeps, options: DossierExportOptions & { out: string }): Promise<DossierExportResult> {
  const sink = openBundleSink(options.out);
  try {
    return await assembleDossier(deps, sink, options);
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** A bundle directory, a .zip path, or the bytes of a zip. */
export function openBundleReader(bundle: string | Uint8Array): BundleReader {
  if (typeof bundle !== 'string') return new ZipBundleReader(bundle);
  let isDir: boolean;
  try {
    isDir = statSync(bundle).isDirectory();
  } catch {
    throw new DossierError('DOSSIER_BUNDLE_UNREADABLE', `bundle ${bundle} does not exist`);
  }
  return isDir ? new DirectoryBundleReader(bundle) : new ZipBundleReader(readFileSync(bundle));
}

/**
 * Verifies a dossier offline (see verifyDossierBundle for the checks): a directory, a .zip
 * path (streamed into a scratch directory, removed afterwards) or the bytes of a zip.
 */
export async function verifyDossier(bundle: string | Uint8Array, options: VerifyDossierOptions = {}): Promise<DossierVerification> {
  if (typeof bundle === 'string' && isFile(bundle)) {
    const scratch = mkdtempSync(join(tmpdir(), 'radledger-verify-'));
    try {
      await extractZipToDirectory(bundle, scratch);
      return await verifyDossierBundle(new DirectoryBundleReader(scratch), options);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return verifyDossierBundle(openBundleReader(bundle), options);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
