import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { blindedIn, operationsByField, visibilityOf, type Role } from '@radledger/domain';
import { DomainError, NotFoundError } from '@radledger/platform';
import { AccessControl } from '../access/access-control.js';
import type { Caller } from '../access/caller.js';
import type { BlindedTrials } from '../access/read-policy.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { Runtime } from '../runtime.js';
import { assertSubjectNotRedacted } from './ledger-dicom-sr.js';
import { DOWNLOAD_GRACE_MS, pruneExports } from './prune-downloads.js';

/** How long an export's download links work (as the dossier's). */
export const EXPORT_DOWNLOAD_TTL_MS = 15 * 60 * 1000;
export const EXPORT_DOWNLOAD_ROUTE = 'GET /exports/:exportId/:sha256';
/** One answer for a wrong, expired, foreign or no-longer-authorised link: nothing about which it was. */
const NO_SUCH_DOWNLOAD = 'export: no such download (the link is wrong, expired, or not yours)';

/**
 * What a stored export holds, so that its download can check the link's user still may see it:
 * - `provenance` (exportInterop): the trial, the sites the caller saw when it was rendered
 *   (null: every site) and whether decisions were blinded in it;
 * - `feature-sets` (exportDicomSr): the trial and site of the reported image and its subject
 *   (a redaction after the export stops the download too).
 */
export type ExportAudience =
  | { kind: 'provenance'; trialId: string; siteIds: string[] | null; blinded: boolean }
  | { kind: 'feature-sets'; trialId: string; siteId: string | null; subjectId: string; featureSetIds: string[] };

export interface ExportFileInput {
  path: string;
  mediaType: string;
  content: Uint8Array | string;
}

interface ExportManifest {
  exportId: string;
  operation: 'exportInterop' | 'exportDicomSr';
  userId: string;
  createdAt: string;
  audience: ExportAudience;
  files: Array<{ path: string; mediaType: string; sha256: string; bytes: number }>;
}

export interface StoredExport {
  exportId: string;
  downloadExpiresAt: string;
  files: Array<{ path: string; mediaType: string; sha256: string; bytes: number; downloadUrl: string }>;
}

export interface ExportDownload {
  path: string;
  fileName: string;
  mediaType: string;
}

/**
 * Exports rendered once and served later through links signed for one user (issue 17: the same
 * download mechanism as the dossier's). The bytes are stored content-addressed under
 * `<data dir>/exports/sha256/<hex>` (the same document twice is stored once); a manifest per
 * export (`<data dir>/exports/<exportId>.json`) names its files, the user it was made for and
 * what it holds. The link is an HMAC over export, file, user and expiry; at download time the
 * user must still see what the file holds under the operation's declared roles.
 */
export class ExportDownloadsService {
  private readonly dir: string;

  constructor(
    private readonly deps: { runtime: Runtime; identity: Pick<IdentityService, 'user' | 'record'>; blinded: BlindedTrials; dataDir: string; downloadSecret: Uint8Array },
  ) {
    this.dir = join(deps.dataDir, 'exports');
  }

  /** Stores the files and the manifest; answers the links (for `userId` only, until the expiry). */
  save(operation: ExportManifest['operation'], userId: string, audience: ExportAudience, files: readonly ExportFileInput[]): StoredExport {
    const blobs = join(this.dir, 'sha256');
    mkdirSync(blobs, { recursive: true });
    const now = this.deps.runtime.clock.now();
    // What no link can reach any more goes first (DOWNLOAD_GRACE_MS after its links expired).
    pruneExports(this.dir, now.getTime() - EXPORT_DOWNLOAD_TTL_MS - DOWNLOAD_GRACE_MS);
    const exportId = randomUUID();
    const listed = files.map((f) => {
      const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const path = join(blobs, sha256);
      if (!existsSync(path)) {
        const partial = `${path}.${exportId}.partial`;
        writeFileSync(partial, bytes);
        renameSync(partial, path);
      } else {
        // Reused: fresh again, so a prune elsewhere before this manifest is written keeps it.
        utimesSync(path, now, now);
      }
      return { path: f.path, mediaType: f.mediaType, sha256, bytes: bytes.length };
    });
    const manifest: ExportManifest = { exportId, operation, userId, createdAt: now.toISOString(), audience, files: listed };
    writeFileSync(join(this.dir, `${exportId}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
    const expires = now.getTime() + EXPORT_DOWNLOAD_TTL_MS;
    return {
      exportId,
      downloadExpiresAt: new Date(expires).toISOString(),
      files: listed.map((f) => ({
        ...f,
        downloadUrl: `/exports/${exportId}/${f.sha256}?user=${encodeURIComponent(userId)}&expires=${expires}&sig=${this.sign(exportId, f.sha256, userId, expires)}`,
      })),
    };
  }

  /**
   * The file behind a link, when the link is genuine and unexpired, names a file of an export
   * made for its user, a bearer token (if any) is that user's, and that user may still see what
   * the file holds; otherwise NOT_FOUND, the same for every reason. A grant that no longer
   * reaches is recorded as AccessDenied.
   */
  async download(link: { exportId: string; sha256: string; user: string; expires: number; sig: string }, caller: Caller | undefined): Promise<ExportDownload> {
    const found = this.resolve(link);
    if (!found || (caller && caller.userId !== link.user)) throw new NotFoundError(NO_SUCH_DOWNLOAD);
    const account = await this.deps.identity.user(link.user);
    if (!account || account.locked) throw new NotFoundError(NO_SUCH_DOWNLOAD);
    const { manifest, file } = found;
    if (!(await this.stillSees(manifest, account.grants))) {
      const linkUser: Caller = { userId: account.userId, printedName: account.printedName, grants: account.grants, authMethod: 'session', issuedAt: new Date() };
      await this.deps.identity.record(linkUser, EXPORT_DOWNLOAD_ROUTE, 'SCOPE_MISSING');
      throw new NotFoundError(NO_SUCH_DOWNLOAD);
    }
    if (manifest.audience.kind === 'feature-sets') {
      const { trialId, subjectId } = manifest.audience;
      try {
        await assertSubjectNotRedacted(this.deps.runtime.store, trialId, subjectId, 'export', 'exportId');
      } catch (error) {
        if (error instanceof DomainError) throw new NotFoundError(NO_SUCH_DOWNLOAD);
        throw error;
      }
    }
    return { path: join(this.dir, 'sha256', file.sha256), fileName: basename(file.path), mediaType: file.mediaType };
  }

  private resolve(link: { exportId: string; sha256: string; user: string; expires: number; sig: string }): { manifest: ExportManifest; file: ExportManifest['files'][number] } | undefined {
    if (!/^[0-9a-f-]{36}$/.test(link.exportId) || !/^[0-9a-f]{64}$/.test(link.sha256)) return undefined;
    if (!Number.isFinite(link.expires) || link.expires < this.deps.runtime.clock.now().getTime()) return undefined;
    const expected = Buffer.from(this.sign(link.exportId, link.sha256, link.user, link.expires), 'base64url');
    const given = Buffer.from(String(link.sig), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const manifestPath = join(this.dir, `${link.exportId}.json`);
    if (!existsSync(manifestPath)) return undefined;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ExportManifest;
    const file = manifest.files.find((f) => f.sha256 === link.sha256);
    if (manifest.userId !== link.user || !file || !existsSync(join(this.dir, 'sha256', file.sha256))) return undefined;
    return { manifest, file };
  }

  /** The operation's roles, now: the trial, every site the file was rendered for, and unblinded decisions only if the file shows them. */
  private async stillSees(manifest: ExportManifest, grants: Parameters<typeof visibilityOf>[0]): Promise<boolean> {
    const roles = operationsByField.get(manifest.operation)!.access.roles as readonly Role[];
    const audience = manifest.audience;
    if (audience.kind === 'feature-sets') {
      return roles.some((role) => AccessControl.reaches(grants, role, { trialIds: [audience.trialId], ...(audience.siteId ? { siteId: audience.siteId } : {}) }, true));
    }
    const seen = visibilityOf(grants, roles).trial(audience.trialId);
    if (seen === 'none') return false;
    if (seen !== 'all-sites' && (audience.siteIds === null || !audience.siteIds.every((s) => seen.has(s)))) return false;
    if (!audience.blinded && blindedIn(grants, audience.trialId) && (await this.deps.blinded.isBlinded(audience.trialId))) return false;
    return true;
  }

  private sign(exportId: string, sha256: string, userId: string, expires: number): string {
    return createHmac('sha256', this.deps.downloadSecret).update(`export-download\n${exportId}\n${sha256}\n${userId}\n${expires}`).digest('base64url');
  }
}
