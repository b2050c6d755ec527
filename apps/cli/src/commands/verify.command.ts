import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { LedgerService, LedgerVerificationError, loadSigningKey, parseSignedCheckpoint, type CheckpointVerifier } from '@radledger/ledger';
import { openCosignatureStore, TimestampError, verifyLedgerWitnessing, verifyTimestampToken, type CosignatureStore } from '@radledger/witness';
import { CliFailure } from '../cli-failure.js';
import { keyOption, openExistingStore, parsePublicKey, publicKeyOption, storeOption } from './ledger-cli.options.js';
import { loadPolicy, logKeyFrom, policyOption, readPem, SINGLE_KEY_NOTE, tsaRootOption } from './witness-cli.options.js';

interface VerifyOptions {
  store: string;
  publicKey?: string;
  key: string;
  policy?: string;
  tsaRoot?: string;
}

/**
 * `verify`: recompute every leaf hash, link, position and the Merkle root from the stored
 * bytes, and check every stored checkpoint's root and signature against the pinned key.
 * With `--policy`, the witnesses' cosignatures must verify, agree with the ledger's roots
 * and meet the quorum on the newest checkpoint; with `--tsa-root`, every stored RFC 3161
 * timestamp token must verify.
 */
export function register(program: Command): void {
  program
    .command('verify')
    .description('verify the whole ledger: hashes, chain, Merkle root, checkpoint signatures (and witness cosignatures with --policy)')
    .addOption(storeOption())
    .addOption(publicKeyOption())
    .addOption(keyOption().hideHelp())
    .addOption(policyOption())
    .addOption(tsaRootOption())
    .action(async (options: VerifyOptions) => {
      const policy = loadPolicy(options.policy);
      const tsaRoot = options.tsaRoot === undefined ? undefined : readPem(options.tsaRoot, '--tsa-root');
      const store = await openExistingStore(options.store);
      let cosignatures: CosignatureStore | undefined;
      try {
        let verifier: CheckpointVerifier | undefined = logKeyFrom(parsePublicKey(options.publicKey), policy);
        // Without a pinned key, the operator's own signing key (if present) stands in.
        if (!verifier && existsSync(options.key)) verifier = loadSigningKey(options.key).signer;
        const ledger = new LedgerService(store);
        const report = await ledger.verifyLedger({ verifier });
        process.stdout.write(`OK ${report.size} events, root ${report.rootHash}\n`);
        if (report.checkpointsStored > 0 && !verifier) {
          process.stderr.write(`warning: ${report.checkpointsStored} stored checkpoints not checked: pass --public-key\n`);
        } else if (report.checkpointsVerified > 0) {
          process.stdout.write(`${report.checkpointsVerified} checkpoints verified\n`);
        }
        if (!policy) process.stderr.write(SINGLE_KEY_NOTE);
        if (!policy && !tsaRoot) return;
        cosignatures = await openCosignatureStore(options.store, { readOnly: true });
        let failed: string[] = [];
        if (policy) {
          const witnessing = await verifyLedgerWitnessing({
            checkpoints: await store.listCheckpoints(),
            cosignatures: await cosignatures.listCosignatures(),
            policy,
            headSize: report.size,
            rootAt: (size) => ledger.rootAt(size),
          });
          for (const line of witnessing.summary) process.stdout.write(`${line}\n`);
          if (!witnessing.ok) failed.push(witnessing.failures.length > 0 ? `witnesses contradict the ledger: ${[...new Set(witnessing.failures.map((f) => f.witness))].sort().join(', ')}` : `newest checkpoint lacks quorum ${witnessing.quorum}`);
        }
        if (tsaRoot) failed = failed.concat(await checkTimestamps(cosignatures, await store.listCheckpoints(), tsaRoot));
        if (failed.length > 0) throw new CliFailure(`FAIL ${failed.join('; ')}`, 1);
        if (policy) process.stdout.write('witness policy satisfied\n');
      } catch (error) {
        if (error instanceof LedgerVerificationError) {
          throw new CliFailure(`FAIL at global position ${error.position}: ${error.kind}: ${error.message}`, 1);
        }
        throw error;
      } finally {
        await cosignatures?.close();
        await store.close();
      }
    });
}

/** Every stored RFC 3161 token must verify over its checkpoint text and belong to a stored checkpoint. */
async function checkTimestamps(store: CosignatureStore, checkpoints: Array<{ note: string }>, root: string): Promise<string[]> {
  const notes = new Set(checkpoints.map((c) => c.note));
  const failures: string[] = [];
  const records = await store.listTimestamps();
  for (const r of records) {
    try {
      if (!notes.has(r.note)) throw new TimestampError('TSA_IMPRINT_MISMATCH', 'the token is for a checkpoint the ledger does not hold');
      const check = verifyTimestampToken(Buffer.from(r.token, 'base64'), Buffer.from(parseSignedCheckpoint(r.note).body, 'utf8'), { trustedRoots: [root], nonce: BigInt(r.nonce) });
      process.stdout.write(`timestamp of checkpoint ${r.treeSize}: ${check.genTime.toISOString()} by ${check.tsa}\n`);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      failures.push(`timestamp of checkpoint ${r.treeSize} [${code}]: ${(error as Error).message}`);
    }
  }
  if (records.length === 0) failures.push('--tsa-root given but no timestamp token is stored');
  return failures;
}
