import type { Command } from 'commander';
import { encodeVerifierKey, parseVerifierKey } from '@radledger/ledger';
import { verifyDossier, DossierError, type DossierVerification } from '@radledger/dossier';
import { CliFailure } from '../cli-failure.js';
import { publicKeyOption } from './ledger-cli.options.js';
import { loadPolicy, policyOption, SINGLE_KEY_NOTE } from './witness-cli.options.js';

interface VerifyDossierOptions {
  publicKey?: string;
  json?: boolean;
  policy?: string;
}

export function formatVerification(v: DossierVerification): string {
  const out: string[] = [];
  for (const c of v.checks) {
    out.push(`${c.status.padEnd(4)}  ${c.check.padEnd(20)}  ${c.detail}`);
    for (const f of c.failures ?? []) out.push(`${' '.repeat(28)}- ${f}`);
  }
  out.push(v.ok ? 'dossier VERIFIED' : 'dossier does NOT verify');
  return `${out.join('\n')}\n`;
}

/** `verify-dossier <bundle>`: the offline verifier; a verdict per check, exit 0 when all pass, 1 otherwise. */
export function register(program: Command): void {
  program
    .command('verify-dossier')
    .description('verify a dossier bundle (directory or .zip) offline: file hashes, signatures, proofs, chain links, lineage')
    .argument('<bundle>', 'dossier directory or .zip file')
    .addOption(publicKeyOption())
    .option('--json', 'print the verdicts as JSON')
    .addOption(policyOption())
    .action(async (bundle: string, options: VerifyDossierOptions) => {
      const policy = loadPolicy(options.policy);
      if (options.publicKey !== undefined) {
        try {
          parseVerifierKey(options.publicKey);
        } catch (error) {
          throw new CliFailure(`--public-key: ${(error as Error).message}`, 2);
        }
      }
      let verdict: DossierVerification;
      try {
        // With a policy and no --public-key, the policy's log key is the pinned one.
        const pinned = options.publicKey ?? (policy?.logs.length === 1 ? encodeVerifierKey(policy.logs[0]!.verifier) : undefined);
        verdict = await verifyDossier(bundle, { pinnedPublicKey: pinned, policy });
      } catch (error) {
        if (error instanceof DossierError) throw new CliFailure(`FAIL  ${error.message}`, 1);
        throw error;
      }
      process.stdout.write(options.json ? `${JSON.stringify(verdict, null, 2)}\n` : formatVerification(verdict));
      if (!policy) process.stderr.write(SINGLE_KEY_NOTE);
      if (!verdict.ok) process.exitCode = 1;
    });
}
