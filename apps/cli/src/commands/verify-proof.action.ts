import { readFileSync } from 'node:fs';
import { CheckpointError, ProofError, verifyProofBundle } from '@radledger/ledger';
import { CliFailure } from '../cli-failure.js';
import { checkCosignedCheckpoint } from '@radledger/witness';
import { loadPolicy, logKeyFrom, parsePublicKey } from '../cli-runtime.js';
import { SINGLE_KEY_NOTE } from './witness-cli.options.js';

export interface VerifyProofOptions {
  publicKey?: string;
  policy?: string;
}

export async function verifyProof(file: string, options: VerifyProofOptions): Promise<void> {
  const policy = loadPolicy(options.policy);
  const verifier = logKeyFrom(parsePublicKey(options.publicKey), policy);
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliFailure(`cannot read proof ${file}: ${oneLine((error as Error).message)}`, 2);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`proof ${file} is not JSON: ${oneLine((error as Error).message)}`, 2);
  }
  try {
    const check = verifyProofBundle(document, { verifier });
    const doc = document as Record<string, unknown>;
    const signed = check.rootSigned ? 'root signed by the pinned key' : 'root NOT signed-checked (no checkpoint or no --public-key)';
    const what =
      check.kind === 'radledger.inclusion-proof.v1'
        ? `event ${String(doc['eventId'])} is leaf ${String(doc['leafIndex'])} of tree ${String(doc['treeSize'])}, root ${String(doc['rootHash'])}`
        : `tree ${String(doc['size1'])} is a prefix of tree ${String(doc['size2'])}, root ${String(doc['root2'])}`;
    process.stdout.write(`OK ${what}; ${signed}\n`);
    if (!policy) {
      process.stderr.write(SINGLE_KEY_NOTE);
      return;
    }
    // With a policy, every checkpoint the proof leans on must carry a quorum of valid cosignatures.
    const notes = ['checkpoint', 'checkpoint1', 'checkpoint2'].map((k) => doc[k]).filter((n): n is string => typeof n === 'string');
    if (notes.length === 0 || !check.rootSigned) throw new CliFailure('FAIL: the proof carries no signed checkpoint for its root, so no witness vouches for it', 1);
    const problems: string[] = [];
    for (const note of notes) {
      const cosigned = checkCosignedCheckpoint(note, policy);
      process.stdout.write(`${cosigned.summary}\n`);
      if (!cosigned.ok) problems.push(cosigned.summary);
    }
    if (problems.length > 0) throw new CliFailure(`FAIL witness policy: ${problems.join(' | ')}`, 1);
    process.stdout.write('witness policy satisfied\n');
  } catch (error) {
    if (error instanceof ProofError || error instanceof CheckpointError) throw new CliFailure(`FAIL: ${error.message}`, 1);
    throw error;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
