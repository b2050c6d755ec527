import type { Command } from 'commander';
import type { ServeOptions } from './witness.action.js';

/**
 * `witness serve`: a C2SP tlog-witness for one or more RadLedger logs (a trial site, the CRO
 * or the regulator runs it). It keeps (origin, size, root) per log in <data>/witness.db and
 * never sees events.
 */
export function register(program: Command): void {
  const witness = program.command('witness').description('run a C2SP tlog-witness that cosigns ledger checkpoints');
  witness
    .command('serve')
    .description('serve POST /add-checkpoint (C2SP tlog-witness) for the given logs')
    .requiredOption('--port <port>', 'TCP port')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .requiredOption('--key <ed25519.pem>', 'the witness\'s Ed25519 PEM key (created, mode 0600, when absent)')
    .option('--log <origin>=<vkey>', 'a log to witness: its checkpoint origin and verifier key (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--data <dir>', 'where the witnessed state is kept', './data/witness')
    .option('--name <name>', 'the witness\'s key name (default witness.<hostname>/<port>)')
    .action(async (options: ServeOptions) => (await import('./witness.action.js')).serveWitness(options));
}
