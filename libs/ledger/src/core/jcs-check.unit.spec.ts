import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import canonicalize from 'canonicalize';
import { canonicalJson, canonicalTopLevel, canonicalTopLevelValues, isCanonicalJson } from '@radledger/ledger';

/** The definition the scanner must agree with: the text is canonicalize() of its own parse (the package, as an independent reference). */
function reference(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

const json = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 });

describe('isCanonicalJson', () => {
  test('accepts RFC 8785 texts, including the edge cases of key order and number form', () => {
    const values: unknown[] = [
      { b: 1, a: [true, null, { d: 'x', c: -0.5 }], é: 'ü', '10': 1, '9': 2 },
      { emoji: '\u{1F600}', control: '\u0001\u0008\u001f\n"\\', del: '\u007f', big: 1e21, small: 1e-7, neg: -0 },
      { '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '\ufb33': 4, '1': 5, '\u0080': 6, 'ö': 7 }, // RFC 8785 §3.2.3 sort example keys
      [],
      {},
      'text',
      0,
      null,
    ];
    for (const v of values) {
      const text = canonicalJson(v);
      assert.equal(isCanonicalJson(text), true, text);
    }
  });

  test('refuses whitespace, unsorted or duplicate keys, non-canonical numbers and escapes, lone surrogates', () => {
    const bad = [
      '{"a":1,"a":1}',
      '{"b":1,"a":2}',
      '{ "a":1}',
      '{"a":1}\n',
      '{"a":1.0}',
      '{"a":1E2}',
      '{"a":-0}',
      '{"a":01}',
      '{"a":1e400}',
      '{"a":"\\/"}',
      '{"a":"\\u0041"}',
      '{"a":"\\u000a"}',
      '{"a":"\\u001F"}',
      '{"a":"\\ud800"}',
      '{"a":"\ud800"}',
      '{"a":"tab\there"}',
      '{"a":tru}',
      '{"a":1,}',
      '[1,]',
      '{"a"1}',
      '',
      'nope',
    ];
    for (const text of bad) {
      assert.equal(reference(text), false, `reference must refuse ${JSON.stringify(text)}`);
      assert.equal(isCanonicalJson(text), false, JSON.stringify(text));
    }
  });

  test('property: agrees with canonicalize on canonical texts and on their near misses', () => {
    const variant = fc.oneof(
      json.map((v) => canonicalJson(v)),
      json.map((v) => JSON.stringify(v) ?? 'null'),
      json.map((v) => JSON.stringify(v, null, 1) ?? 'null'),
      fc.tuple(json, fc.nat(), fc.integer({ min: 1, max: 0x7f })).map(([v, at, xor]) => {
        const t = canonicalJson(v);
        const i = at % t.length;
        return t.slice(0, i) + String.fromCharCode(t.charCodeAt(i) ^ xor) + t.slice(i + 1);
      }),
      fc.tuple(json, fc.nat()).map(([v, at]) => {
        const t = canonicalJson(v);
        const i = at % t.length;
        return t.slice(0, i) + t.slice(i + 1);
      }),
    );
    fc.assert(
      fc.property(variant, (text) => {
        assert.equal(isCanonicalJson(text), reference(text), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  test('deep nesting: fine where canonicalize works, refused (not thrown) beyond any stack', () => {
    const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);
    assert.equal(isCanonicalJson(deep(1000)), true);
    // Nothing can write this (canonicalize itself runs out of stack), so it is not canonical.
    assert.equal(isCanonicalJson(deep(200000)), false);
    assert.equal(isCanonicalJson(deep(200000).slice(1)), false);
  });
});

describe('isCanonicalJson on number texts', () => {
  const digits = (max: number) => fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: max });
  const numberText = fc
    .tuple(fc.constantFrom('', '-'), digits(22), fc.option(digits(22)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(4))))
    .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`);
  test('agrees with the reference for arbitrary decimal and exponent texts (the 15-digit fast path included)', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        assert.equal(isCanonicalJson(text), reference(text), text);
        assert.equal(isCanonicalJson(`[${text}]`), reference(`[${text}]`), text);
      }),
      { numRuns: 5000 },
    );
  });

  test('accepts the ECMAScript form of any double and refuses near misses', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        assert.equal(isCanonicalJson(String(value)), true, String(value));
      }),
      { numRuns: 3000 },
    );
    for (const text of ['0.000001', '0.5', '-0.25', '123456789012345', '12345678901234.5', '0.000001234567890123', '1e-7', '1e+21']) {
      assert.equal(isCanonicalJson(text), true, text);
    }
    for (const text of ['0.0000001', '1.50', '-0', '00.5', '.5', '5.', '1234567890123456789012', '0.10', '1e21', '1E+21']) {
      assert.equal(isCanonicalJson(text), false, text);
    }
  });
});

describe('canonicalTopLevel', () => {
  test('returns decoded top-level strings and null for other members', () => {
    const text = canonicalJson({ prevHash: 'ab', globalPosition: '7', data: { prevHash: 'nested' }, n: 1, q: 'say "hi"\n' });
    assert.deepEqual({ ...canonicalTopLevel(text) }, { data: null, globalPosition: '7', n: null, prevHash: 'ab', q: 'say "hi"\n' });
    assert.deepEqual(canonicalTopLevelValues(text, ['prevHash', 'n', 'absent', 'q']), ['ab', null, undefined, 'say "hi"\n']);
    assert.deepEqual(canonicalTopLevelValues(canonicalJson({ 'k\u0001': 'v\u0002' }), ['k\u0001']), ['v\u0002']);
    assert.equal(canonicalTopLevelValues('{"b":1,"a":2}', ['a']), undefined);
  });

  test('refuses non-objects and non-canonical objects', () => {
    for (const text of ['[1]', '"x"', '{"b":1,"a":2}', '{"a":1} ']) assert.equal(canonicalTopLevel(text), undefined, text);
  });
});
