import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CosignatureStore, WitnessPolicy } from '@radledger/witness';
import { exportDossier, reproducibilityFromRuntime, verifyDossier, type ChecklistDocument } from '@radledger/dossier';
import { operationsByField, type Role } from '@radledger/domain';
import { NotFoundError } from '@radledger/platform';
import { AccessControl } from '../access/access-control.js';
import type { Caller } from '../access/caller.js';
import type { IdentityService } from '../identity/identity.service.js';
import type { Runtime } from '../runtime.js';
import { RADLEDGER_VERSION } from '../software-version.js';
import { DOWNLOAD_GRACE_MS, pruneDossiers } from '../exports/prune-downloads.js';

export interface DossierExport {
  trialId: string;
  modelVersion: string | null;
  location: string;
  /** Where the caller downloads the .zip: authorised for them, expiring (see `downloadTtlMs`). */
  downloadUrl: string;
  downloadExpiresAt: string;
  sha256: string;
  bytes: number;
  eventCount: number;
  decisionCount: number;
  checkpoint: { note: string; origin: string; treeSize: number; rootHash: string; issuedAt: string; reused: boolean };
  publicKey: string;
  verification: { ok: boolean; checks: Array<{ check: string; status: string; detail: string; failures?: string[] }> };
  /** checklists.json of the bundle: every reporting-guideline item, with its evidence or why it is left for people. */
  checklists: DossierChecklists;
}

export interface DossierChecklistItem {
  /** TRIPOD+AI, CLAIM 2024, METRICS, CLEAR, RQS, PROBAST+AI. */
  checklist: string;
  item: string;
  title: string;
  status: 'filled-from-ledger' | 'for-people';
  /** The value the ledger's records give, as JSON text (cut at EVIDENCE_MAX_CHARS; the bundle holds it whole). */
  evidence: string | null;
  evidenceTruncated: boolean;
  sourceEventIds: string[];
  sourceEventCount: number;
  /** Why the item is left for people. */
  why: string | null;
  score: { points: number | null; min: number; max: number; remainderForPeople: string | null } | null;
}

export interface DossierChecklists {
  filledFromLedger: number;
  forPeople: number;
  items: DossierChecklistItem[];
  rqs: { ledgerScore: number; possibleMin: number; possibleMax: number; maximum: number; ledgerPercent: number };
}

/** Evidence longer than this is cut in the GraphQL answer (checklists.json in the bundle keeps it whole). */
export const EVIDENCE_MAX_CHARS = 4000;

function checklistsAnswer(doc: ChecklistDocument): DossierChecklists {
  const items = doc.items.map((i): DossierChecklistItem => {
    const text = i.value === undefined ? null : JSON.stringify(i.value);
    const truncated = text !== null && text.length > EVIDENCE_MAX_CHARS;
    return {
      checklist: i.guideline,
      item: i.item,
      title: i.topic,
      status: i.status,
      evidence: truncated ? `${text.slice(0, EVIDENCE_MAX_CHARS)}…` : text,
      evidenceTruncated: truncated,
      sourceEventIds: i.sourceEventIds ?? [],
      sourceEventCount: i.sourceEventCount ?? i.sourceEventIds?.length ?? 0,
      why: i.why ?? null,
      score: i.score ? { points: i.score.points, min: i.score.min, max: i.score.max, remainderForPeople: i.score.remainderForPeople ?? null } : null,
    };
  });
  return {
    filledFromLedger: items.filter((i) => i.status === 'filled-from-ledger').length,
    forPeople: items.filter((i) => i.status === 'for-people').length,
    items,
    rqs: { ledgerScore: doc.rqs.ledgerScore, possibleMin: doc.rqs.possibleRange[0], possibleMax: doc.rqs.possibleRange[1], maximum: doc.rqs.maximum, ledgerPercent: doc.rqs.ledgerPercent },
  };
}

/** Checkpoints cosigned by witnesses (issue 14), when the deployment runs them. */
export interface Witnessing {
  cosignatures: CosignatureStore;
  policy?: WitnessPolicy;
}

/** How long a dossier download link works. */
export const DOSSIER_DOWNLOAD_TTL_MS = 15 * 60 * 1000;

/**
 * Writes a trial's dossier as a .zip under `<data dir>/dossiers/` with the runtime's ledger,
 * key and re-computation (the same path as the CLI `dossier`), then runs the offline verifier
 * on the written file with the ledger's key pinned, so the answer says whether what was
 * written verifies, not only that something was written.
 */
export const DOSSIER_DOWNLOAD_ROUTE = 'GET /dossiers/:name';
const NO_SUCH_DOWNLOAD = 'dossier: no such download (the link is wrong, expired, or not yours)';

export class DossierExportService {
  constructor(
    private readonly runtime: Runtime,
    private readonly options: { dataDir: string; downloadSecret: Uint8Array; identity: Pick<IdentityService, 'user' | 'record'>; witnessing?: () => Witnessing | undefined },
  ) {}

  async export(trialId: string, modelVersion: string | undefined, requestedBy: string): Promise<DossierExport> {
    const witnessing = this.options.witnessing?.();
    const dir = join(this.options.dataDir, 'dossiers');
    mkdirSync(dir, { recursive: true });
    // Bundles no link can reach any more (DOWNLOAD_GRACE_MS after their links expired).
    pruneDossiers(dir, this.runtime.clock.now().getTime() - DOSSIER_DOWNLOAD_TTL_MS - DOWNLOAD_GRACE_MS);
    const out = this.freshPath(dir, trialId);
    const { location, manifest, checklists } = await exportDossier(
      {
        store: this.runtime.store,
        signer: this.runtime.signingKey.signer,
        radledgerVersion: RADLEDGER_VERSION,
        reproducibility: reproducibilityFromRuntime(this.runtime),
        revealForReport: async <T,>(value: T): Promise<T> => (await this.runtime.fieldCipher.reveal(value)).value,
        // Issue 14: the newest cosigned checkpoint covering the lineage, and the policy it meets.
        ...(witnessing
          ? { witnessing: { cosignatures: () => witnessing.cosignatures.listCosignatures(), policy: witnessing.policy, timestamps: () => witnessing.cosignatures.listTimestamps() } }
          : {}),
      },
      { trialId, modelVersion, out },
    );
    const verification = await verifyDossier(location, { pinnedPublicKey: this.runtime.signingKey.verifierKey, ...(witnessing?.policy ? { policy: witnessing.policy } : {}) });
    const { checkpoint } = manifest;
    const expiresAt = new Date(this.runtime.clock.now().getTime() + DOSSIER_DOWNLOAD_TTL_MS);
    const name = basename(location);
    return {
      downloadUrl: `/dossiers/${encodeURIComponent(name)}?trial=${encodeURIComponent(trialId)}&expires=${expiresAt.getTime()}&user=${encodeURIComponent(requestedBy)}&sig=${this.sign(name, trialId, requestedBy, expiresAt.getTime())}`,
      downloadExpiresAt: expiresAt.toISOString(),
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
      checklists: checklistsAnswer(checklists),
    };
  }

  /**
   * The file a download link names, when the link is genuine (HMAC over name, trial, user and
   * expiry) and unexpired; otherwise undefined. The caller then checks that the user still may
   * export the trial's dossier (issue 16: the link alone is not enough once a grant is revoked).
   */
  /**
   * The file behind a signed, expiring link `exportDossier` answered. The link names its user and
   * trial (HMAC); now, that user must still hold a grant that may export the trial's dossier
   * (exportDossier's roles and scope; a refusal recorded as AccessDenied), and a caller who sent
   * a bearer token must be that user. One answer for a wrong, expired, foreign or no-longer
   * authorised link: nothing about which it was.
   */
  async download(link: { name: string; trial: string; user: string; expires: number; sig: string }, caller: Caller | undefined): Promise<{ path: string; fileName: string }> {
    const path = this.resolveDownload(link.name, link.trial, link.user, link.expires, link.sig);
    if (!path || (caller && caller.userId !== link.user)) throw new NotFoundError(NO_SUCH_DOWNLOAD);
    const account = await this.options.identity.user(link.user);
    if (!account || account.locked) throw new NotFoundError(NO_SUCH_DOWNLOAD);
    // exportDossier's roles reaching this trial now (no rate-limit token taken: downloading is not exporting).
    const roles = operationsByField.get('exportDossier')!.access.roles as readonly Role[];
    if (!roles.some((role) => AccessControl.reaches(account.grants, role, { trialIds: [link.trial] }, false))) {
      const linkUser: Caller = { userId: account.userId, printedName: account.printedName, grants: account.grants, authMethod: 'session', issuedAt: new Date() };
      await this.options.identity.record(linkUser, DOSSIER_DOWNLOAD_ROUTE, 'SCOPE_MISSING');
      throw new NotFoundError(NO_SUCH_DOWNLOAD);
    }
    return { path, fileName: link.name };
  }

  private resolveDownload(name: string, trialId: string, userId: string, expires: number, signature: string): string | undefined {
    if (!/^[A-Za-z0-9._-]{1,200}\.zip$/.test(name) || !Number.isFinite(expires) || expires < this.runtime.clock.now().getTime()) return undefined;
    const expected = Buffer.from(this.sign(name, trialId, userId, expires), 'base64url');
    const given = Buffer.from(String(signature), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const path = join(this.options.dataDir, 'dossiers', name);
    return existsSync(path) ? path : undefined;
  }

  private sign(name: string, trialId: string, userId: string, expires: number): string {
    return createHmac('sha256', this.options.downloadSecret).update(`dossier-download\n${name}\n${trialId}\n${userId}\n${expires}`).digest('base64url');
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
