import { encodeVerifierKey, parseVerifierKey } from '@radledger/ledger';
import { verifyDossier, DossierError, type DossierVerification } from '@radledger/dossier';
import { CliFailure } from '../cli-failure.js';
import { loadPolicy, readPem } from '../cli-runtime.js';
import { SINGLE_KEY_NOTE } from './witness-cli.options.js';

export interface VerifyDossierOptions {
  publicKey?: string;
  json?: boolean;
  policy?: string;
  tsaRoot?: string;
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

export async function verifyDossierBundle(bundle: string, options: VerifyDossierOptions): Promise<void> {
  const policy = loadPolicy(options.policy);
  const tsaRoot = options.tsaRoot === undefined ? undefined : readPem(options.tsaRoot, '--tsa-root');
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
    verdict = await verifyDossier(bundle, { pinnedPublicKey: pinned, policy, ...(tsaRoot ? { tsaRoot } : {}) });
  } catch (error) {
    if (error instanceof DossierError) throw new CliFailure(`FAIL  ${error.message}`, 1);
    throw error;
  }
  process.stdout.write(options.json ? `${JSON.stringify(verdict, null, 2)}\n` : formatVerification(verdict));
  if (!policy) process.stderr.write(SINGLE_KEY_NOTE);
  if (!verdict.ok) process.exitCode = 1;
}
