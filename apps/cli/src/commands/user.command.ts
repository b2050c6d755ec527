import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { openApplication, systemCaller, RADLEDGER_VERSION, type Application, type Caller, type IssuedApiToken } from '@radledger/application';
import { isRole, type Role } from '@radledger/domain';
import { DomainError } from '@radledger/platform';
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

/**
 * The console operator (the person with the server's files at hand) acts as a global admin,
 * recorded by name, through the same operations and access policies as the API.
 */
async function withApplication<T>(options: StoreOptions, work: (app: Application, operator: Caller) => Promise<T>): Promise<T> {
  let app: Application | undefined;
  try {
    const store = options.store ?? DEFAULT_STORE;
    app = await openApplication({
      store,
      readStore: options.readStore || store,
      dataDir: options.dataDir,
      signingKeyPath: options.key ?? join(options.dataDir, 'signing-key.pem'),
      authSecretPath: process.env['RADLEDGER_AUTH_SECRET_FILE'] ?? join(options.dataDir, 'auth-secret'),
      client: CLIENT,
    });
    return await work(app, systemCaller(options.as));
  } catch (error) {
    if (error instanceof DomainError) throw new CliFailure(`error [${error.code}]: ${error.message}`, 1);
    throw error;
  } finally {
    await app?.close();
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
    .option('--service', 'a service account (a pipeline): API tokens only, never a password or a signature')
    .option('--trial <trialId>', 'the trial the account is registered for')
    .option('--reason <text>', 'why the user is added')
    .action(async (userId: string, options: StoreOptions & { name: string; passwordStdin?: boolean; passwordEnv?: string; reason?: string; service?: boolean; trial?: string }) => {
      const password = await readPassword(options);
      await withApplication(options, async (app, operator) => {
        const input = { userId, printedName: options.name, ...(options.service ? { kind: 'service' } : {}), ...(options.trial ? { trialId: options.trial } : {}), ...(password !== undefined ? { password } : {}) };
        await app.gateway.mutate('registerUser', input, operator, { reason: options.reason ?? null });
        process.stdout.write(`registered ${userId}${password ? ' with a temporary password (to be changed at the first login)' : ''}\n`);
      });
    });

  withStores(user.command('password <userId>'))
    .description("set a temporary password for a person (stdin or --password-env); they choose their own at the next login (PasswordSet)")
    .option('--password-stdin', 'read the password from stdin')
    .option('--password-env <VAR>', 'read the password from this environment variable')
    .option('--reason <text>', 'why (recorded)')
    .action(async (userId: string, options: StoreOptions & { passwordStdin?: boolean; passwordEnv?: string; reason?: string }) => {
      const password = await readPassword(options.passwordEnv || options.passwordStdin ? options : { passwordStdin: true });
      await withApplication(options, async (app, operator) => {
        await app.gateway.mutate('setUserPassword', { userId, password: password ?? '' }, operator, { reason: options.reason ?? null });
        process.stdout.write(`temporary password set for ${userId}\n`);
      });
    });

  withStores(user.command('unlock <userId>'))
    .description('unlock an account locked after failed logins (AccountUnlocked)')
    .requiredOption('--reason <text>', 'why (recorded)')
    .action(async (userId: string, options: StoreOptions & { reason: string }) => {
      await withApplication(options, async (app, operator) => {
        await app.gateway.mutate('unlockAccount', { userId, reason: options.reason }, operator);
        process.stdout.write(`unlocked ${userId}\n`);
      });
    });

  for (const action of ['grant', 'revoke'] as const) {
    withStores(user.command(`role-${action} <userId> <role>`).alias(action === 'grant' ? 'role' : 'unrole'))
      .description(`${action} a role for a trial/site scope (Role${action === 'grant' ? 'Granted' : 'Revoked'})`)
      .option('--trial <trialId>', 'limit the role to this trial')
      .option('--site <siteId>', 'limit the role to this site (needs --trial)')
      .requiredOption('--reason <text>', 'why (recorded)')
      .action(async (userId: string, role: string, options: StoreOptions & { trial?: string; site?: string; reason: string }) => {
        const grant = { userId, role: parseRole(role), ...(options.trial ? { trialId: options.trial } : {}), ...(options.site ? { siteId: options.site } : {}), reason: options.reason };
        await withApplication(options, async (app, operator) => {
          await app.gateway.mutate(action === 'grant' ? 'grantRole' : 'revokeRole', grant, operator);
          process.stdout.write(`${action === 'grant' ? 'granted' : 'revoked'} ${role}${options.trial ? ` for ${options.trial}${options.site ? `/${options.site}` : ''}` : ''} ${action === 'grant' ? 'to' : 'from'} ${userId}\n`);
        });
      });
  }

  withStores(user.command('token <userId>'))
    .description('issue a scoped API token for a service account (ApiTokenIssued); printed once, only its hash is stored. A person issues their own tokens through the API.')
    .requiredOption('--scope <scope...>', 'grants the token may use: role[:trialId[:siteId]]')
    .option('--expires <iso>', 'UTC expiry (default: 90 days from now)')
    .action(async (userId: string, options: StoreOptions & { scope: string[]; expires?: string }) => {
      const expiresAt = options.expires ?? new Date(Date.now() + 90 * 86400_000).toISOString();
      await withApplication(options, async (app, operator) => {
        const issued = (await app.gateway.mutate('issueApiToken', { userId, scopes: options.scope, expiresAt }, operator)) as IssuedApiToken;
        process.stderr.write(`token ${issued.tokenId} for ${userId}, scopes ${issued.scopes.join(' ')}, expires ${issued.expiresAt} (shown once):\n`);
        process.stdout.write(`${issued.token}\n`);
      });
    });

  withStores(user.command('token-revoke <tokenId>'))
    .description('revoke an API token (ApiTokenRevoked); it stops working at once')
    .requiredOption('--reason <text>', 'why (recorded)')
    .action(async (tokenId: string, options: StoreOptions & { reason: string }) => {
      await withApplication(options, async (app, operator) => {
        await app.gateway.mutate('revokeApiToken', { tokenId, reason: options.reason }, operator);
        process.stdout.write(`revoked ${tokenId}\n`);
      });
    });

  withStores(user.command('show <userId>'))
    .description('print a user with roles and lock state, as the ledger records them')
    .action(async (userId: string, options: StoreOptions) => {
      await withApplication(options, async (app) => {
        const view = await app.identity.user(userId);
        if (!view) throw new CliFailure(`user ${userId} is not registered`, 1);
        process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      });
    });
}
