import { existsSync } from 'node:fs';
import { LedgerService, LedgerVerificationError, loadSigningKey, parseSignedCheckpoint, type CheckpointVerifier } from '@radledger/ledger';
import { openCosignatureStore, TimestampError, verifyLedgerWitnessing, verifyTimestampToken, type CosignatureStore } from '@radledger/witness';
import { CliFailure } from '../cli-failure.js';
import { loadPolicy, logKeyFrom, openExistingStore, parsePublicKey, readPem } from '../cli-runtime.js';
import { resolveLocations, type StoreFlags } from './store-cli.options.js';
import { SINGLE_KEY_NOTE } from './witness-cli.options.js';

export interface VerifyOptions extends StoreFlags {
  publicKey?: string;
  policy?: string;
  tsaRoot?: string;
}

export async function verify(options: VerifyOptions): Promise<void> {
  const at = resolveLocations(options);
  const policy = loadPolicy(options.policy);
  const tsaRoot = options.tsaRoot === undefined ? undefined : readPem(options.tsaRoot, '--tsa-root');
  const store = await openExistingStore(at.store);
  let cosignatures: CosignatureStore | undefined;
  let keySource: string | undefined;
  try {
    let verifier: CheckpointVerifier | undefined = logKeyFrom(parsePublicKey(options.publicKey), policy);
    // Without a pinned key, the data dir's own signing key (the one that signed its checkpoints) stands in.
    if (!verifier && existsSync(at.signingKeyPath)) {
      verifier = loadSigningKey(at.signingKeyPath).signer;
      keySource = at.signingKeyPath;
    }
    const ledger = new LedgerService(store);
    const report = await ledger.verifyLedger({ verifier });
    process.stdout.write(`OK ${report.size} events, root ${report.rootHash}\n`);
    if (report.checkpointsStored > 0 && !verifier) {
      process.stderr.write(`warning: ${report.checkpointsStored} stored checkpoints not checked: no signing key at ${at.signingKeyPath}; pass --public-key or --data-dir\n`);
    } else if (report.checkpointsVerified > 0) {
      process.stdout.write(`${report.checkpointsVerified} checkpoints verified${keySource ? ` with the public key of ${keySource}` : ''}\n`);
    }
    if (!policy) process.stderr.write(SINGLE_KEY_NOTE);
    if (!policy && !tsaRoot) return;
    cosignatures = await openCosignatureStore(at.store, { readOnly: true });
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
      // Name the key a signature was checked with: a checkpoint of another data dir's key is a wrong --data-dir, not always tampering.
      const checkedWith = keySource && error.kind === 'bad-signature' ? ` (checked with the public key of ${keySource}; pass --public-key <vkey> or the ledger's --data-dir)` : '';
      throw new CliFailure(`FAIL at global position ${error.position}: ${error.kind}: ${error.message}${checkedWith}`, 1);
    }
    throw error;
  } finally {
    await cosignatures?.close();
    await store.close();
  }
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
