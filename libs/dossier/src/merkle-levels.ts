import { HASH_SIZE, inclusionProofRanges, nodeHash } from '@radledger/ledger';

/**
 * Every level of the RFC 9162 Merkle tree over `size` leaf hashes, kept as flat buffers
 * (32 bytes per node): about 2 × 32 × size bytes, i.e. 64 MB for a million events, so the
 * dossier can answer one inclusion proof per exported event without materialising events.
 *
 * Level h holds the roots of the ranges [j·2^h, min((j+1)·2^h, size)): an unpaired last
 * node is carried up unchanged, which gives exactly MTH of that range because RFC 9162
 * §2.1.1 always splits at the largest power of two below the range size.
 */
export class MerkleLevels {
  private readonly levels: Buffer[];

  constructor(leafHashes: Buffer, readonly size: number) {
    if (leafHashes.length < size * HASH_SIZE) throw new RangeError(`MerkleLevels: ${size} leaves need ${size * HASH_SIZE} bytes, got ${leafHashes.length}`);
    this.levels = [leafHashes.subarray(0, size * HASH_SIZE)];
    let below = this.levels[0]!;
    let n = size;
    while (n > 1) {
      const m = Math.ceil(n / 2);
      const level = Buffer.allocUnsafe(m * HASH_SIZE);
      for (let j = 0; j < Math.floor(n / 2); j++) {
        const left = below.subarray(2 * j * HASH_SIZE, (2 * j + 1) * HASH_SIZE);
        const right = below.subarray((2 * j + 1) * HASH_SIZE, (2 * j + 2) * HASH_SIZE);
        nodeHash(left, right).copy(level, j * HASH_SIZE);
      }
      if (n % 2 === 1) below.copy(level, (m - 1) * HASH_SIZE, (n - 1) * HASH_SIZE, n * HASH_SIZE);
      this.levels.push(level);
      below = level;
      n = m;
    }
  }

  /** MTH of all leaves, hex (the empty tree is refused: a dossier always holds events). */
  rootHex(): string {
    if (this.size === 0) throw new RangeError('MerkleLevels: the empty tree has no node levels');
    return this.node(this.levels.length - 1, 0).toString('hex');
  }

  leafHex(index: number): string {
    return this.node(0, index).toString('hex');
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[size]), leaf upwards, hex. */
  inclusionProofHex(index: number): string[] {
    return inclusionProofRanges(index, this.size).map(([start, end]) => {
      // Every proof range starts on a multiple of its height's width and is either full or runs to the end.
      let height = 0;
      while (2 ** height < end - start) height++;
      return this.node(height, start / 2 ** height).toString('hex');
    });
  }

  private node(height: number, index: number): Buffer {
    return this.levels[height]!.subarray(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }
}
