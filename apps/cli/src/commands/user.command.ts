import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { openRuntime, type Runtime } from '@radledger/runtime';
import { DomainError } from '@radledger/platform';
import { isRole, type Role } from '../../../api/src/auth/actor.js';
import { RADLEDGER_VERSION } from '@radledger/runtime';
import { openCredentialStore } from '../../../api/src/identity/credential-store.factory.js';
import type { CredentialStore } from '../../../api/src/identity/credential-store.port.js';
import { IdentityService, type AdminContext } from '../../../api/src/identity/identity.service.js';
import { CliFailure } from '../cli-failure.js';
import { DEFAULT_SIGNING_KEY, DEFAULT_STORE, storeOption } from './ledger-cli.options.js';

interface StoreOptions {
  store: string;
  readStore?: string;
  dataDir: string;
  key: string;
  as: string;
}

const CLIENT = `radledger-cli/${RADLEDGER_VERSION}`;

/** Options every `user` subcommand takes: where the ledger and the credentials live, and who acts. */
function withStores(cmd: Command): Command {
  return cmd
    .addOption(storeOption())
    .addOption(new Option('--read-store <url>', 'credential tables (read-model database; default: the event store)').default(process.env['RADLEDGER_READ_STORE']))
    .addOption(new Option('--data-dir <dir>', 'data directory (RADLEDGER_DATA_DIR)').default(process.env['RADLEDGER_DATA_DIR'] ?? './data'))
    .addOption(new Option('--key <file>', 'checkpoint signing key (RADLEDGER_SIGNING_KEY)').default(process.env['RADLEDGER_SIGNING_KEY'] ?? DEFAULT_SIGNING_KEY).hideHelp())
    .addOption(new Option('--as <adminId>', 'the administrator recorded as the actor (RADLEDGER_ACTOR)').default(process.env['RADLEDGER_ACTOR'] ?? `cli-${userInfo().username}`));
}

async function withIdentity<T>(options: StoreOptions, work: (identity: IdentityService, by: AdminContext) => Promise<T>): Promise<T> {
  let runtime: Runtime | undefined;
  let credentials: CredentialStore | undefined;
  try {
    const store = options.store ?? DEFAULT_STORE;
    runtime = await openRuntime({ store, dataDir: options.dataDir, signingKeyPath: options.key ?? join(options.dataDir, 'signing-key.pem') });
    credentials = await openCredentialStore(options.readStore || store);
    const identity = new IdentityService({ commands: runtime.commands, store: runtime.store, credentials, client: CLIENT });
    return await work(identity, { userId: options.as, role: 'admin', client: CLIENT });
  } catch (error) {
    if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 1);
    throw error;
  } finally {
    await credentials?.close();
    await runtime?.close();
  }
}

/** Passwords never come from argv (visible in `ps` and shell history): stdin or a named environment variable. */
async function readPassword(options: { passwordStdin?: boolean; passwordEnv?: string }): Promise<string | undefined> {
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

/** `user add|role|token|show`: user administration for the admin, recorded in the ledger like the API's. */
export function register(program: Command): void {
  const user = program.command('user').description('users, roles and API tokens (every change is a ledger event)');

  withStores(user.command('add <userId>'))
    .description('register a user (UserRegistered), optionally with a password')
    .requiredOption('--name <printedName>', 'printed name shown on signatures (21 CFR 11.50)')
    .option('--password-stdin', 'read the initial password from stdin')
    .option('--password-env <VAR>', 'read the initial password from this environment variable')
    .option('--reason <text>', 'why the user is added')
    .action(async (userId: string, options: StoreOptions & { name: string; passwordStdin?: boolean; passwordEnv?: string; reason?: string }) => {
      const password = await readPassword(options);
      await withIdentity(options, async (identity, by) => {
        await identity.registerUser(by, { userId, printedName: options.name, password, reason: options.reason });
        process.stdout.write(`registered ${userId}${password ? ' with a password' : ''}\n`);
      });
    });

  withStores(user.command('password <userId>'))
    .description("set a user's password (stdin or --password-env)")
    .option('--password-stdin', 'read the password from stdin')
    .option('--password-env <VAR>', 'read the password from this environment variable')
    .action(async (userId: string, options: StoreOptions & { passwordStdin?: boolean; passwordEnv?: string }) => {
      const password = await readPassword(options.passwordEnv || options.passwordStdin ? options : { passwordStdin: true });
      await withIdentity(options, async (identity) => {
        await identity.setPassword(userId, password ?? '');
        process.stdout.write(`password set for ${userId}\n`);
      });
    });

  for (const action of ['grant', 'revoke'] as const) {
    withStores(user.command(`role-${action} <userId> <role>`).alias(action === 'grant' ? 'role' : 'unrole'))
      .description(`${action} a role for a trial/site scope (Role${action === 'grant' ? 'Granted' : 'Revoked'})`)
      .option('--trial <trialId>', 'limit the role to this trial')
      .option('--site <siteId>', 'limit the role to this site (needs --trial)')
      .requiredOption('--reason <text>', 'why (recorded)')
      .action(async (userId: string, role: string, options: StoreOptions & { trial?: string; site?: string; reason: string }) => {
        const grant = { userId, role: parseRole(role), trialId: options.trial, siteId: options.site, reason: options.reason };
        await withIdentity(options, async (identity, by) => {
          await (action === 'grant' ? identity.grantRole(by, grant) : identity.revokeRole(by, grant));
          process.stdout.write(`${action === 'grant' ? 'granted' : 'revoked'} ${role}${options.trial ? ` for ${options.trial}${options.site ? `/${options.site}` : ''}` : ''} ${action === 'grant' ? 'to' : 'from'} ${userId}\n`);
        });
      });
  }

  withStores(user.command('token <userId>'))
    .description('issue a scoped API token (ApiTokenIssued); printed once, only its hash is stored')
    .requiredOption('--scope <scope...>', 'grants the token may use: role[:trialId[:siteId]]')
    .option('--expires <iso>', 'UTC expiry (default: 90 days from now)')
    .action(async (userId: string, options: StoreOptions & { scope: string[]; expires?: string }) => {
      const expiresAt = options.expires ?? new Date(Date.now() + 90 * 86400_000).toISOString();
      await withIdentity(options, async (identity, by) => {
        const issued = await identity.issueApiToken(by, { userId, scopes: options.scope, expiresAt });
        process.stderr.write(`token ${issued.tokenId} for ${userId}, scopes ${issued.scopes.join(' ')}, expires ${issued.expiresAt} (shown once):\n`);
        process.stdout.write(`${issued.token}\n`);
      });
    });

  withStores(user.command('token-revoke <tokenId>'))
    .description('revoke an API token (ApiTokenRevoked); it stops working at once')
    .requiredOption('--reason <text>', 'why (recorded)')
    .action(async (tokenId: string, options: StoreOptions & { reason: string }) => {
      await withIdentity(options, async (identity, by) => {
        await identity.revokeApiToken(by, { tokenId, reason: options.reason });
        process.stdout.write(`revoked ${tokenId}\n`);
      });
    });

  withStores(user.command('show <userId>'))
    .description('print a user with roles and lock state, as the ledger records them')
    .action(async (userId: string, options: StoreOptions) => {
      await withIdentity(options, async (identity) => {
        const view = await identity.user(userId);
        if (!view) throw new CliFailure(`user ${userId} is not registered`, 1);
        process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      });
    });
}
