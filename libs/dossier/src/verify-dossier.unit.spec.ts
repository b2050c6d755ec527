import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { linesOf } from './verify-dossier.js';

async function* chunked(text: string, sizes: number[]): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (const s of sizes) {
    if (at >= bytes.length) break;
    yield bytes.subarray(at, at + s);
    at += s;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

test('linesOf splits a byte stream into the same lines wherever the chunks break, multi-byte characters included', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme' }).map((s) => s.replace(/\n/g, '')), { maxLength: 20 }), fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 50 }), async (lines, sizes) => {
      const text = lines.map((l) => `${l}\n`).join('');
      const got: string[] = [];
      for await (const l of linesOf(chunked(text, sizes))) got.push(l);
      assert.deepEqual(got, lines);
    }),
  );
});
