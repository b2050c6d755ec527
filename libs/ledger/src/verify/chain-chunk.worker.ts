/** Worker thread of ChainChunkPool: verifies runs of stored events (core/chain-chunk.ts), shipped or read here. */
import { parentPort } from 'node:worker_threads';
import { verifyChainChunk, type ChainChunk } from '../core/chain-chunk.js';
import { verifySqliteChainRun, type SqliteChainRun } from '../adapters/sqlite-chain-run.js';

parentPort!.on('message', (message: { id: number; chunk?: ChainChunk; run?: SqliteChainRun }) => {
  try {
    const result = message.run ? verifySqliteChainRun(message.run) : verifyChainChunk(message.chunk!);
    parentPort!.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
