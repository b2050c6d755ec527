import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import type { UserOptions } from './user.action.js';
import { addStoreOptions, reasonOption } from './store-cli.options.js';

/** Options every `user` subcommand takes: where the ledger and the credentials live, who acts, and why. */
function withStores(cmd: Command, reason: 'optional' | 'required' = 'optional'): Command {
  addStoreOptions(cmd, { key: 'hidden' }).addOption(
    new Option('--as <adminId>', 'the administrator recorded as the actor').env('RADLEDGER_ACTOR').default(`cli-${userInfo().username}`),
  );
  const why = reasonOption('why (recorded, sealed, in the event)');
  return cmd.addOption(reason === 'required' ? why.makeOptionMandatory() : why);
}

const action = async () => import('./user.action.js');

/** `user add|password|unlock|role|unrole|token|token-revoke|show`: user administration, recorded in the ledger like the API's. */
export function register(program: Command): void {
  const user = program.command('user').description('users, roles and API tokens (every change is a ledger event)');

  withStores(user.command('add <userId>'))
    .description('register a user (UserRegistered), optionally with a password')
    .requiredOption('--name <printedName>', 'printed name shown on signatures (21 CFR 11.50)')
    .option('--password-stdin', 'read the initial password from stdin')
    .option('--password-env <VAR>', 'read the initial password from this environment variable')
    .option('--service', 'a service account (a pipeline): API tokens only, never a password or a signature')
    .option('--trial <trialId>', 'the trial the account is registered for')
    .action(async (userId: string, options: UserOptions['add']) => (await action()).addUser(userId, options));

  withStores(user.command('password <userId>'))
    .description('set a temporary password for a person (stdin or --password-env); they choose their own at the next login (PasswordSet)')
    .option('--password-stdin', 'read the password from stdin')
    .option('--password-env <VAR>', 'read the password from this environment variable')
    .action(async (userId: string, options: UserOptions['password']) => (await action()).setPassword(userId, options));

  // The operations below carry their reason in their input: the domain refuses them without one.
  withStores(user.command('unlock <userId>'), 'required')
    .description('unlock an account locked after failed logins (AccountUnlocked)')
    .action(async (userId: string, options: UserOptions['reasoned']) => (await action()).unlock(userId, options));

  for (const grant of [true, false]) {
    withStores(user.command(`role-${grant ? 'grant' : 'revoke'} <userId> <role>`).alias(grant ? 'role' : 'unrole'), 'required')
      .description(`${grant ? 'grant' : 'revoke'} a role for a trial/site scope (Role${grant ? 'Granted' : 'Revoked'})`)
      .option('--trial <trialId>', 'limit the role to this trial')
      .option('--site <siteId>', 'limit the role to this site (needs --trial)')
      .action(async (userId: string, role: string, options: UserOptions['role']) => (await action()).changeRole(grant, userId, role, options));
  }

  withStores(user.command('token <userId>'))
    .description('issue a scoped API token for a service account (ApiTokenIssued); printed once, only its hash is stored. A person issues their own tokens through the API.')
    .requiredOption('--scope <scope...>', 'grants the token may use: role[:trialId[:siteId]]')
    .option('--expires <iso>', 'UTC expiry (default: 90 days from now)')
    .action(async (userId: string, options: UserOptions['token']) => (await action()).issueToken(userId, options));

  withStores(user.command('token-revoke <tokenId>'), 'required')
    .description('revoke an API token (ApiTokenRevoked); it stops working at once')
    .action(async (tokenId: string, options: UserOptions['reasoned']) => (await action()).revokeToken(tokenId, options));

  const show = user.command('show <userId>').description('print a user with roles and lock state, as the ledger records them');
  addStoreOptions(show, { key: 'hidden' }).action(async (userId: string, options: UserOptions['show']) => (await action()).showUser(userId, options));
}
