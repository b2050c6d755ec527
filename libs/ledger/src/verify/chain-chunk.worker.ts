/** Worker thread of ChainChunkPool: verifies runs of stored events (core/chain-chunk.ts). */
import { parentPort } from 'node:worker_threads';
import { verifyChainChunk, type ChainChunk } from '../core/chain-chunk.js';

parentPort!.on('message', (message: { id: number; chunk: ChainChunk }) => {
  try {
    parentPort!.postMessage({ id: message.id, result: verifyChainChunk(message.chunk) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
