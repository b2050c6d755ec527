import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, canonicalPlainJson, NotJsonError } from './canonical-json.js';
import { encodeEvent, placeEncoded, sealEnvelope, type EventEnvelope } from './envelope.js';
import { leafHash } from './hashing.js';

/** The reference implementation (Samuel Erdtman's `canonicalize`, listed by RFC 8785 §7 implementations). */
function reference(value: unknown): string | Error {
  try {
    const text = canonicalize(value);
    return text === undefined ? new Error('no representation') : text;
  } catch (error) {
    return error as Error;
  }
}

function ours(value: unknown): string | Error {
  try {
    return canonicalJson(value);
  } catch (error) {
    return error as Error;
  }
}

// Keys that stress RFC 8785 §3.2.3 ordering (UTF-16 code units, not code points): surrogate
// pairs sort below U+E000..U+FFFF, integer-like keys sort as text, not numerically.
const trickyKey = fc.constantFrom('', '1', '10', '9', '\r', '\u0080', 'ö', '\u20ac', '\ud83d\ude00', '\ufb33', '\uffff', 'a', 'A', '__proto__');
const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), trickyKey);
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(-0, 0, 1e21, 1e-7, 1e-6, 5e-324, -5e-324, Number.MAX_VALUE, Number.MIN_SAFE_INTEGER, 2 ** 53, 1e300, 123e-20, 0.1 + 0.2),
);
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)) }), fc.constantFrom('"', '\\', '\u2028', '\u007f', '</script>'));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 5 }, fc.constant(null), fc.boolean(), number, text, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6, noNullPrototype: true }),
}));
/** A lone surrogate somewhere: RFC 8785 §3.1 (I-JSON) refuses it. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => `x${String.fromCharCode(c)}`);

describe('canonicalJson (RFC 8785)', () => {
  test('equals the canonicalize package on arbitrary JSON (unicode keys, -0, exponents, escapes)', () => {
    fc.assert(
      fc.property(json.value, (value) => {
        assert.equal(ours(value), reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  test('equals canonicalize where JSON has holes: undefined members, toJSON', () => {
    fc.assert(
      fc.property(json.object, key, (object, name) => {
        const value = { ...object, [name]: undefined, when: new Date(0) };
        assert.equal(ours(value), reference(value));
      }),
    );
  });

  test('refuses NaN, Infinity and lone surrogates (in values and in keys), as canonicalize does', () => {
    fc.assert(
      fc.property(json.object, key, fc.oneof(fc.constantFrom(Number.NaN, Infinity, -Infinity), loneSurrogate), fc.boolean(), (object, name, bad, asKey) => {
        const value = asKey && typeof bad === 'string' ? { ...object, [bad]: 1 } : { ...object, [name]: [bad] };
        assert.ok(reference(value) instanceof Error);
        const error = ours(value);
        assert.ok(error instanceof NotJsonError, String(error));
      }),
    );
  });

  test('writes the numbers of RFC 8785 Appendix B as published', () => {
    // IEEE 754 bit pattern -> RFC 8785 text (Appendix B, "Number Serialization Samples").
    const samples: Array<[string, string]> = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, expected] of samples) {
      const value = Buffer.from(bits, 'hex').readDoubleBE(0);
      assert.equal(canonicalJson(value), expected, bits);
    }
    for (const bits of ['7fffffffffffffff', '7ff0000000000000']) {
      assert.throws(() => canonicalJson(Buffer.from(bits, 'hex').readDoubleBE(0)), NotJsonError);
    }
  });

  test('sorts and escapes like the examples of RFC 8785 §3.2.2 and §3.2.3', () => {
    const sorting = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // In text order (JSON.parse would move the integer-like key "1" first again).
    const sorted = canonicalJson(sorting);
    const inTextOrder = Object.values(sorting).sort((a, b) => sorted.indexOf(`"${a}"`) - sorted.indexOf(`"${b}"`));
    assert.deepEqual(inTextOrder, [
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    assert.equal(
      canonicalJson(input),
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });
});

describe('canonicalPlainJson (event payloads)', () => {
  test('writes the same text as canonicalize and reports exactly when JSON.parse would not give the value back', () => {
    fc.assert(
      fc.property(json.object, fc.option(key, { nil: undefined }), (object, holeKey) => {
        const value = holeKey === undefined ? object : { ...object, [holeKey]: undefined };
        const { text, lossy } = canonicalPlainJson(value);
        assert.equal(text, reference(value));
        assert.equal(lossy, !isDeepStrictEqual(JSON.parse(text), value));
      }),
      { numRuns: 2000 },
    );
  });

  test('refuses what is not plain JSON and names the member', () => {
    const cases: Array<[unknown, string]> = [
      [{ a: { b: [1, Number.NaN] } }, 'data.a.b[1]'],
      [{ a: new Date(0) }, 'data.a'],
      [{ a: new Map() }, 'data.a'],
      [{ a: [undefined] }, 'data.a[0]'],
      [{ a: () => 1 }, 'data.a'],
      [{ a: 1n }, 'data.a'],
      [{ ['\ud800']: 1 }, 'data.\ud800'],
      [{ a: 'x\udc00' }, 'data.a'],
    ];
    for (const [value, path] of cases) {
      assert.throws(
        () => canonicalPlainJson(value, 'data'),
        (error: unknown) => error instanceof NotJsonError && error.path === path,
        path,
      );
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    assert.throws(() => canonicalPlainJson(cyclic, 'data'), (error: unknown) => error instanceof NotJsonError && /cyclic/.test(error.message));
    assert.equal(canonicalPlainJson(Object.assign(Object.create(null), { b: 1, a: 2 })).text, '{"a":2,"b":1}');
  });
});

describe('encodeEvent + placeEncoded', () => {
  const id = fc.oneof(fc.uuid(), fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }));
  test('give the bytes and leaf hash of canonicalize(envelope) at any place in the ledger', () => {
    fc.assert(
      fc.property(
        id,
        id,
        id,
        fc.integer({ min: 1, max: 2 ** 31 }),
        json.object,
        json.object,
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (eventId, streamId, type, schemaVersion, data, meta, position, revision, prev) => {
          const prevHash = Buffer.from(prev).toString('hex');
          const envelope: EventEnvelope<unknown> = {
            eventId,
            streamId,
            streamRevision: String(revision),
            globalPosition: String(position),
            type,
            schemaVersion,
            data,
            meta: meta as unknown as EventEnvelope['meta'],
            prevHash,
          };
          const encoded = encodeEvent({ eventId, type, schemaVersion, data, meta: envelope.meta }, streamId);
          const placed = placeEncoded(encoded, position, prevHash, revision);
          assert.equal(placed.canonical, reference(envelope));
          assert.equal(placed.hash, leafHash(placed.canonical).toString('hex'));
          assert.equal(placed.hash, sealEnvelope(envelope).hash);
          assert.equal(encoded.exact, isDeepStrictEqual(JSON.parse(placed.canonical), envelope));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
