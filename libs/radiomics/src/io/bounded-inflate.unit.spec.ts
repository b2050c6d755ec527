import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { RadiomicsInputError } from '../radiomics.errors.js';
import { inflateBounded, inflatePrefix, type CompressedFormat } from './bounded-inflate.js';

const COMPRESS: Record<CompressedFormat, (b: Uint8Array) => Uint8Array> = { gzip: gzipSync, zlib: deflateSync, 'deflate-raw': deflateRawSync };
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RadiomicsInputError, String(error));
    return error.code;
  }
  return 'no error';
};

test('inflateBounded returns the data within the cap and refuses one byte over it (property, every format)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 5000 }), fc.constantFrom<CompressedFormat>('gzip', 'zlib', 'deflate-raw'), (data, format) => {
      const packed = COMPRESS[format](data);
      assert.deepEqual([...inflateBounded(packed, { format, maxOutputBytes: data.length, what: 'x' })], [...data]);
      assert.equal(codeOf(() => inflateBounded(packed, { format, maxOutputBytes: data.length - 1 || 0.5, what: 'x' })), data.length > 1 ? 'IMAGE_TOO_LARGE' : 'no error');
    }),
  );
});

test('inflateBounded stops a 1 GiB zero stream at the cap without allocating it', () => {
  const zeros = gzipSync(new Uint8Array(64 * 1024 * 1024));
  const bomb = Buffer.concat(Array.from({ length: 16 }, () => zeros));
  const before = process.memoryUsage().rss;
  assert.equal(codeOf(() => inflateBounded(bomb, { format: 'gzip', maxOutputBytes: 8 * 1024 * 1024, what: 'bomb' })), 'IMAGE_TOO_LARGE');
  assert.ok(process.memoryUsage().rss - before < 128 * 1024 * 1024, 'RSS grew by less than 128 MiB');
});

test('a corrupt or truncated stream is IMAGE_UNREADABLE', () => {
  const packed = gzipSync(new Uint8Array(10_000).fill(3));
  assert.equal(codeOf(() => inflateBounded(packed.subarray(0, packed.length - 20), { format: 'gzip', maxOutputBytes: 1e6, what: 'cut' })), 'IMAGE_UNREADABLE');
  const corrupt = Uint8Array.from(packed);
  corrupt[10] = 0x07; // first deflate block: BFINAL 1, BTYPE 11, reserved (RFC 1951 §3.2.3)
  assert.equal(codeOf(() => inflatePrefix(corrupt, 100, { format: 'gzip', what: 'bad' })), 'IMAGE_UNREADABLE');
  assert.equal(codeOf(() => inflateBounded(corrupt, { format: 'gzip', maxOutputBytes: 1e6, what: 'bad' })), 'IMAGE_UNREADABLE');
});

test('inflatePrefix gives the first bytes of any stream and of a multi-member gzip', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), fc.integer({ min: 1, max: 4000 }), fc.constantFrom<CompressedFormat>('gzip', 'zlib', 'deflate-raw'), (data, n, format) => {
      assert.deepEqual([...inflatePrefix(COMPRESS[format](data), n, { format, what: 'x' })], [...data.subarray(0, n)]);
    }),
  );
  const twoMembers = Buffer.concat([gzipSync(Uint8Array.from([1, 2, 3])), gzipSync(Uint8Array.from([4, 5]))]);
  assert.deepEqual([...inflatePrefix(twoMembers, 5, { format: 'gzip', what: 'x' })], [1, 2, 3, 4, 5]);
});
