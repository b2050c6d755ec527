import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files behind download links are kept while a link to them can still work, and for an hour
 * after (a link made at the last moment, a clock a little off): then nothing can reach them and
 * they are removed, so a busy server's data directory does not fill with renderings. The ledger
 * holds what was exported (the export itself is recorded); the files can be rendered again.
 */
export const DOWNLOAD_GRACE_MS = 60 * 60 * 1000;

/**
 * `<dir>/<exportId>.json` manifests created before `cutoff`, then the blobs under `<dir>/sha256`
 * that no remaining manifest names and that were not written or reused since `cutoff` (a save in
 * another process between its blob and its manifest keeps the blob fresh). Unreadable manifests
 * and stray partial files older than `cutoff` go too.
 */
export function pruneExports(dir: string, cutoff: number): { manifests: number; blobs: number } {
  let manifests = 0;
  let blobs = 0;
  const kept = new Set<string>();
  for (const name of list(dir)) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    let manifest: { createdAt?: unknown; files?: Array<{ sha256?: unknown }> } | undefined;
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8')) as typeof manifest;
    } catch {
      manifest = undefined;
    }
    const created = typeof manifest?.createdAt === 'string' ? Date.parse(manifest.createdAt) : NaN;
    if ((Number.isFinite(created) ? created : mtime(path)) < cutoff) {
      rmSync(path, { force: true });
      manifests++;
      continue;
    }
    for (const f of manifest?.files ?? []) if (typeof f.sha256 === 'string') kept.add(f.sha256);
  }
  const blobDir = join(dir, 'sha256');
  for (const name of list(blobDir)) {
    const sha = name.slice(0, 64);
    if ((name.length === 64 && kept.has(sha)) || mtime(join(blobDir, name)) >= cutoff) continue;
    rmSync(join(blobDir, name), { force: true });
    blobs++;
  }
  return { manifests, blobs };
}

/** Dossier bundles (`*.zip`) in `dir` last written before `cutoff`. */
export function pruneDossiers(dir: string, cutoff: number): number {
  let removed = 0;
  for (const name of list(dir)) {
    if (!name.endsWith('.zip') || mtime(join(dir, name)) >= cutoff) continue;
    rmSync(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
