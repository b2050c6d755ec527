import { openApplication, systemCaller, RADLEDGER_VERSION, type Application, type Caller, type IssuedApiToken } from '@radledger/application';
import { isRole, type Role } from '@radledger/domain';
import { DomainError } from '@radledger/platform';
import { CliFailure } from '../cli-failure.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';

interface Operator extends StoreFlags {
  as: string;
  reason?: string;
}

interface PasswordSource {
  passwordStdin?: boolean;
  passwordEnv?: string;
}

export interface UserOptions {
  add: Operator & PasswordSource & { name: string; service?: boolean; trial?: string };
  password: Operator & PasswordSource;
  reasoned: Operator & { reason: string };
  role: Operator & { reason: string; trial?: string; site?: string };
  token: Operator & { scope: string[]; expires?: string };
  show: StoreFlags;
}

const CLIENT = `radledger-cli/${RADLEDGER_VERSION}`;

/**
 * The console operator (the person with the server's files at hand) acts as a global admin,
 * recorded by name, through the same operations and access policies as the API.
 */
async function withApplication<T>(options: StoreFlags & { as?: string }, work: (app: Application, operator: Caller) => Promise<T>): Promise<T> {
  const at = resolveLocations(options);
  let app: Application | undefined;
  try {
    app = await openApplication({
      store: at.store,
      readStore: at.readStore,
      dataDir: at.dataDir,
      signingKeyPath: at.signingKeyPath,
      keyEncryptionKeyPath: at.keyEncryptionKeyPath,
      authSecretPath: at.authSecretPath,
      client: CLIENT,
    });
    return await work(app, systemCaller(options.as ?? 'cli'));
  } catch (error) {
    if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 1);
    throw error;
  } finally {
    await app?.close();
  }
}

/** Passwords never come from argv (visible in `ps` and shell history): stdin or a named environment variable. */
async function readPassword(options: PasswordSource): Promise<string | undefined> {
  if (options.passwordEnv) {
    const value = process.env[options.passwordEnv];
    if (!value) throw new CliFailure(`--password-env: environment variable ${options.passwordEnv} is empty or unset`, 2);
    return value;
  }
  if (!options.passwordStdin) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function parseRole(value: string): Role {
  if (!isRole(value)) throw new CliFailure(`role: expected site-operator, data-scientist, qa, regulatory, monitor or admin, got "${value}"`, 2);
  return value;
}

export async function addUser(userId: string, options: UserOptions['add']): Promise<void> {
  const password = await readPassword(options);
  await withApplication(options, async (app, operator) => {
    const input = { userId, printedName: options.name, ...(options.service ? { kind: 'service' } : {}), ...(options.trial ? { trialId: options.trial } : {}), ...(password !== undefined ? { password } : {}) };
    await app.gateway.mutate('registerUser', input, operator, { reason: options.reason ?? null });
    process.stdout.write(`registered ${userId}${password ? ' with a temporary password (to be changed at the first login)' : ''}\n`);
  });
}

export async function setPassword(userId: string, options: UserOptions['password']): Promise<void> {
  const password = await readPassword(options.passwordEnv || options.passwordStdin ? options : { passwordStdin: true });
  await withApplication(options, async (app, operator) => {
    await app.gateway.mutate('setUserPassword', { userId, password: password ?? '' }, operator, { reason: options.reason ?? null });
    process.stdout.write(`temporary password set for ${userId}\n`);
  });
}

export async function unlock(userId: string, options: UserOptions['reasoned']): Promise<void> {
  await withApplication(options, async (app, operator) => {
    await app.gateway.mutate('unlockAccount', { userId, reason: options.reason }, operator);
    process.stdout.write(`unlocked ${userId}\n`);
  });
}

export async function changeRole(grant: boolean, userId: string, role: string, options: UserOptions['role']): Promise<void> {
  const change = { userId, role: parseRole(role), ...(options.trial ? { trialId: options.trial } : {}), ...(options.site ? { siteId: options.site } : {}), reason: options.reason };
  await withApplication(options, async (app, operator) => {
    await app.gateway.mutate(grant ? 'grantRole' : 'revokeRole', change, operator);
    process.stdout.write(`${grant ? 'granted' : 'revoked'} ${role}${options.trial ? ` for ${options.trial}${options.site ? `/${options.site}` : ''}` : ''} ${grant ? 'to' : 'from'} ${userId}\n`);
  });
}

export async function issueToken(userId: string, options: UserOptions['token']): Promise<void> {
  const expiresAt = options.expires ?? new Date(Date.now() + 90 * 86400_000).toISOString();
  await withApplication(options, async (app, operator) => {
    const issued = (await app.gateway.mutate('issueApiToken', { userId, scopes: options.scope, expiresAt }, operator, { reason: options.reason ?? null })) as IssuedApiToken;
    process.stderr.write(`token ${issued.tokenId} for ${userId}, scopes ${issued.scopes.join(' ')}, expires ${issued.expiresAt} (shown once):\n`);
    process.stdout.write(`${issued.token}\n`);
  });
}

export async function revokeToken(tokenId: string, options: UserOptions['reasoned']): Promise<void> {
  await withApplication(options, async (app, operator) => {
    await app.gateway.mutate('revokeApiToken', { tokenId, reason: options.reason }, operator);
    process.stdout.write(`revoked ${tokenId}\n`);
  });
}

export async function showUser(userId: string, options: UserOptions['show']): Promise<void> {
  await withApplication(options, async (app) => {
    const view = await app.identity.user(userId);
    if (!view) throw new CliFailure(`user ${userId} is not registered`, 1);
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  });
}
