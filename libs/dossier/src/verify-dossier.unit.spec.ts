import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidUtf8Error, linesOf, type NdjsonLine } from './verify-dossier.js';

async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const s of sizes) {
    if (at >= bytes.length) break;
    yield bytes.subarray(at, at + s);
    at += s;
  }
  if (at < bytes.length) yield bytes.subarray(at);
}

async function collect(bytes: Uint8Array, sizes: number[]): Promise<NdjsonLine[]> {
  const got: NdjsonLine[] = [];
  for await (const l of linesOf(chunked(bytes, sizes))) got.push(l);
  return got;
}

const lineText = fc.array(fc.string({ unit: 'grapheme' }).map((s) => s.replace(/\n/g, '')), { maxLength: 20 });
const chunkSizes = fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 50 });

test('linesOf splits a byte stream into the same lines wherever the chunks break, multi-byte characters included', async () => {
  await fc.assert(
    fc.asyncProperty(lineText, chunkSizes, async (lines, sizes) => {
      const got = await collect(Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'), sizes);
      assert.deepEqual(got, lines.map((text) => ({ text, terminated: true })));
    }),
  );
});

test('linesOf reports a last line without its newline as unterminated', async () => {
  await fc.assert(
    fc.asyncProperty(lineText, fc.string({ minLength: 1 }).map((s) => s.replace(/\n/g, 'x')), chunkSizes, async (lines, last, sizes) => {
      const got = await collect(Buffer.from(`${lines.map((l) => `${l}\n`).join('')}${last}`, 'utf8'), sizes);
      assert.deepEqual(got.at(-1), { text: last, terminated: false });
      assert.ok(got.slice(0, -1).every((l) => l.terminated));
    }),
  );
});

test('linesOf refuses invalid UTF-8 instead of replacing it with U+FFFD', async () => {
  // 0xff never occurs in UTF-8; 0xc3 0x28 is a lead byte followed by a non-continuation byte.
  for (const bad of [[0x7b, 0xff, 0x7d, 0x0a], [0x7b, 0xc3, 0x28, 0x0a], [0x7b, 0x0a, 0xe2, 0x82]]) {
    await assert.rejects(collect(Uint8Array.from(bad), [1]), (e: unknown) => e instanceof InvalidUtf8Error && e.code === 'DOSSIER_BUNDLE_UNREADABLE');
  }
});
