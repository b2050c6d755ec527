import { CommandService } from '@radledger/domain';
import { openReadModelStore, type ProjectionRunner, type ReadModelStore } from '@radledger/projections';
import { AccessControl } from './access/access-control.js';
import { AccessDirectory } from './access/access-directory.js';
import { AuthenticationError } from './access/access.errors.js';
import type { Caller } from './access/caller.js';
import { BlindedTrials, ReadPolicy } from './access/read-policy.js';
import { ScopeResolver } from './access/scope-resolver.js';
import { openCredentialStore } from './identity/credential-store.factory.js';
import type { CredentialStore } from './identity/credential-store.port.js';
import { IdentityService } from './identity/identity.service.js';
import { TokenService } from './identity/token.service.js';
import { createActionHandlers } from './operations/action-handlers.js';
import { DossierExportService, type Witnessing } from './operations/dossier-export.service.js';
import { ExportDownloadsService } from './exports/export-downloads.service.js';
import { OperationGateway, type OperationObserver } from './operations/operation-gateway.js';
import { createQueryHandlers } from './operations/query-handlers.js';
import { openRuntime, type Runtime, type RuntimeOptions } from './runtime.js';

export interface ApplicationOptions extends RuntimeOptions {
  /** Read models and credentials: `sqlite:<path>` or `postgres://…`. */
  readStore: string;
  /** HS256 secret file of session tokens (created when absent). */
  authSecretPath: string;
  oidc?: { issuer: string; jwksUrl: string; audience?: string };
  /** Software name and version recorded as `meta.client`. */
  client: string;
}

/** Everything an entry point (API, CLI, demo) needs: the runtime, the read side, identity, and the one operation gateway. */
export interface Application {
  runtime: Runtime;
  readModels: ReadModelStore;
  credentials: CredentialStore;
  tokens: TokenService;
  identity: IdentityService;
  directory: AccessDirectory;
  gateway: OperationGateway;
  dossiers: DossierExportService;
  /** Stored exports (exportInterop, exportDicomSr) and their signed download links. */
  exports: ExportDownloadsService;
  /** The caller behind `Authorization: Bearer …` (session JWT, OIDC token or `rlt_` API token), with the grants that hold now. */
  authenticate(bearer: string): Promise<Caller>;
  close(): Promise<void>;
}

export interface ApplicationHooks {
  /** The read-model writer of this process, when it runs one (projectionStatus). */
  projections?: () => Pick<ProjectionRunner, 'lag'> | undefined;
  observer?: OperationObserver;
  onVerify?: (seconds: number, ok: boolean) => void;
  /** The witnesses' cosignatures and the policy, when the deployment runs witnesses (issue 14). */
  witnessing?: () => Witnessing | undefined;
}

/** Opens the application from configuration; every adapter is chosen here (the composition root). */
export async function openApplication(options: ApplicationOptions, hooks: ApplicationHooks = {}): Promise<Application> {
  const runtime = await openRuntime(options);
  const readModels = openReadModelStore(options.readStore);
  const credentials = await openCredentialStore(options.readStore);
  const tokens = new TokenService({ secretPath: options.authSecretPath, ...(options.oidc ? { oidc: options.oidc } : {}) });
  const directory = new AccessDirectory(runtime.store);
  const identity = new IdentityService({ commands: runtime.commands, directory, credentials, tokens, client: options.client, now: () => runtime.clock.now() });
  const scopes = new ScopeResolver({ store: runtime.store, readModels, credentials });
  const access = new AccessControl({ scopes, denials: identity });
  const dossiers = new DossierExportService(runtime, { dataDir: options.dataDir, downloadSecret: tokens.derivedKey('dossier-download'), identity, ...(hooks.witnessing ? { witnessing: hooks.witnessing } : {}) });
  const blinded = new BlindedTrials(runtime.store);
  const exports = new ExportDownloadsService({ runtime, identity, blinded, dataDir: options.dataDir, downloadSecret: tokens.derivedKey('export-download') });
  const projections = hooks.projections;
  const gateway = new OperationGateway({
    commands: runtime.commands as CommandService,
    access,
    reads: new ReadPolicy(blinded),
    actions: createActionHandlers({ runtime, identity, readModels, dossiers, exports, blinded }),
    queries: createQueryHandlers({
      runtime,
      readModels,
      signingKeyPath: options.signingKeyPath,
      projections: { lag: () => projections?.()?.lag() ?? Promise.resolve([]) },
      ...(hooks.onVerify ? { onVerify: hooks.onVerify } : {}),
      ...(hooks.witnessing ? { witnessing: hooks.witnessing } : {}),
    }),
    client: options.client,
    reveal: (value) => revealSealed(runtime, value),
    ...(hooks.observer ? { observer: hooks.observer } : {}),
  });
  return {
    runtime,
    readModels,
    credentials,
    tokens,
    identity,
    directory,
    gateway,
    dossiers,
    exports,
    async authenticate(bearer: string): Promise<Caller> {
      if (bearer.startsWith('rlt_')) return identity.callerForApiToken(bearer);
      return identity.callerFor(await tokens.verify(bearer));
    },
    async close() {
      await identity.flushUnknownLogins().catch(() => undefined);
      await credentials.close();
      await readModels.close();
      await runtime.close();
    },
  };
}

type Row = Record<string, unknown>;

/**
 * Read models keep free text sealed, as the ledger does (ADR 0007). This opens it on the way out:
 * the text when the subject's key exists, `[redacted]` when a redaction destroyed it; audit
 * entries (objects with `redaction: null`) get that redaction's who/when/why.
 */
async function revealSealed(runtime: Runtime, result: unknown): Promise<unknown> {
  const entries: Row[] = [];
  collectAuditEntries(result, entries);
  if (entries.length > 0) {
    const opened = await runtime.fieldCipher.revealAll(entries);
    entries.forEach((entry, i) => {
      Object.assign(entry, opened[i]!.value);
      entry['redaction'] = opened[i]!.redactions[0] ?? null;
    });
  }
  return (await runtime.fieldCipher.reveal(result)).value;
}

function collectAuditEntries(value: unknown, into: Row[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectAuditEntries(v, into);
  } else if (value && typeof value === 'object') {
    const row = value as Row;
    if ('eventType' in row && 'summary' in row && typeof row['eventId'] === 'string' && !('redaction' in row && row['redaction'] !== null)) {
      row['redaction'] = null;
      into.push(row);
    } else for (const v of Object.values(row)) collectAuditEntries(v, into);
  }
}

export { AuthenticationError };
