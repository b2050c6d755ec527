import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import fc from 'fast-check';
import {
  CheckpointError,
  checkpointKeyId,
  encodeSignerKey,
  encodeVerifierKey,
  formatCheckpointBody,
  generateCheckpointSigner,
  parseCheckpointBody,
  parseSignedCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  signCheckpoint,
  verifySignedCheckpoint,
  type Checkpoint,
} from '@radledger/ledger';

const cp: Checkpoint = {
  origin: 'radledger.test/trial-42',
  treeSize: 1234,
  rootHash: createHash('sha256').update('root').digest('hex'),
  issuedAt: '2026-11-25T12:00:00.000Z',
};
const signer = generateCheckpointSigner('radledger-test');

describe('checkpoint body (C2SP tlog-checkpoint)', () => {
  test('origin, size, base64 root and the issued-at extension, one per line', () => {
    const body = formatCheckpointBody(cp);
    assert.equal(body, `radledger.test/trial-42\n1234\n${Buffer.from(cp.rootHash, 'hex').toString('base64')}\nissued-at 2026-11-25T12:00:00.000Z\n`);
    assert.deepEqual(parseCheckpointBody(body), cp);
  });

  test('malformed bodies and checkpoints are refused with CHECKPOINT_MALFORMED', () => {
    const body = formatCheckpointBody(cp);
    const bad = [
      body.slice(0, -1), // no final newline
      body.replace('\n1234\n', '\n01234\n'), // leading zero
      body.replace('\n1234\n', '\n-1\n'),
      body.replace(/\n[^\n]+\nissued/, '\nAAAA\nissued'), // root of 3 bytes
      body.replace('issued-at 2026-11-25T12:00:00.000Z\n', ''), // no issued-at
      body + 'issued-at 2026-11-25T12:00:01.000Z\n', // two issued-at lines
      body.replace('2026-11-25T12:00:00.000Z', 'yesterday'),
    ];
    for (const b of bad) assert.throws(() => parseCheckpointBody(b), { code: 'CHECKPOINT_MALFORMED' }, JSON.stringify(b));
    assert.throws(() => formatCheckpointBody({ ...cp, origin: 'a\nb' }), { code: 'CHECKPOINT_MALFORMED' });
    assert.throws(() => formatCheckpointBody({ ...cp, rootHash: 'ABCD' }), { code: 'CHECKPOINT_MALFORMED' });
    assert.throws(() => formatCheckpointBody({ ...cp, treeSize: 1.5 }), { code: 'CHECKPOINT_MALFORMED' });
  });

  test('unknown extension lines are carried in the signed body and ignored', () => {
    const body = formatCheckpointBody(cp) + 'note something else\n';
    assert.deepEqual(parseCheckpointBody(body), cp);
  });
});

describe('signed note (C2SP signed-note, Ed25519)', () => {
  test('sign, parse and verify round trip', () => {
    const note = signCheckpoint(cp, signer);
    const lines = note.split('\n');
    assert.equal(lines[4], '', 'a blank line separates body and signatures');
    assert.match(lines[5]!, /^— radledger-test [A-Za-z0-9+/]+={0,2}$/);
    const parsed = parseSignedCheckpoint(note);
    assert.deepEqual(parsed.checkpoint, cp);
    assert.equal(parsed.body, formatCheckpointBody(cp));
    assert.equal(parsed.signatures.length, 1);
    assert.equal(parsed.signatures[0]!.keyId, checkpointKeyId(signer.name, signer.publicKey));
    assert.equal(parsed.signatures[0]!.signature.length, 64);
    assert.deepEqual(verifySignedCheckpoint(note, signer), cp);
    assert.deepEqual(verifySignedCheckpoint(note, signer, { origin: cp.origin }), cp);
  });

  test('key ID is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)', () => {
    const raw = Buffer.from(signer.publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const digest = createHash('sha256').update('radledger-test\n').update(Buffer.of(1)).update(raw).digest();
    assert.equal(checkpointKeyId('radledger-test', signer.publicKey), digest.readUInt32BE(0));
  });

  test('a checkpoint signed by another key is rejected (re-signing)', () => {
    const other = generateCheckpointSigner('radledger-test'); // same name, different key
    const note = signCheckpoint(cp, other);
    assert.throws(() => verifySignedCheckpoint(note, signer), { code: 'CHECKPOINT_SIGNATURE_MISSING' });
  });

  test('a forged signature under the right key ID is rejected', () => {
    const other = generateCheckpointSigner('radledger-test');
    const forged = signCheckpoint(cp, other);
    const mine = signCheckpoint(cp, signer);
    // Keep our key ID, swap in the other key's signature bytes.
    const keep = Buffer.from(mine.trimEnd().split(' ').pop()!, 'base64');
    const theirs = Buffer.from(forged.trimEnd().split(' ').pop()!, 'base64');
    const blob = Buffer.concat([keep.subarray(0, 4), theirs.subarray(4)]).toString('base64');
    const note = `${formatCheckpointBody(cp)}\n— radledger-test ${blob}\n`;
    assert.throws(() => verifySignedCheckpoint(note, signer), (e) => e instanceof CheckpointError && e.code === 'CHECKPOINT_SIGNATURE_INVALID');
  });

  test('any modification of the signed body is rejected', () => {
    const note = signCheckpoint(cp, signer);
    const bodyLength = formatCheckpointBody(cp).length - 1; // keep the final newline
    fc.assert(
      fc.property(fc.nat(bodyLength - 1), fc.integer({ min: 1, max: 127 }), (at, xor) => {
        const c = note.charCodeAt(at) ^ xor;
        if (c === 0x0a || c < 0x20 || c === 0x7f) return; // would only change line structure, covered by the parser tests
        const tampered = note.slice(0, at) + String.fromCharCode(c) + note.slice(at + 1);
        assert.throws(() => verifySignedCheckpoint(tampered, signer), CheckpointError);
      }),
      { numRuns: 300 },
    );
    const grown = note.replace('\n1234\n', '\n1235\n');
    assert.throws(() => verifySignedCheckpoint(grown, signer), { code: 'CHECKPOINT_SIGNATURE_INVALID' });
  });

  test('cosignatures by other keys are ignored; a wrong origin is refused', () => {
    const cosigner = generateCheckpointSigner('witness');
    const note = signCheckpoint(cp, signer);
    const cosigned = note + signCheckpoint(cp, cosigner).split('\n\n')[1]!;
    assert.equal(parseSignedCheckpoint(cosigned).signatures.length, 2);
    assert.deepEqual(verifySignedCheckpoint(cosigned, signer), cp);
    assert.deepEqual(verifySignedCheckpoint(cosigned, cosigner), cp);
    assert.throws(() => verifySignedCheckpoint(note, signer, { origin: 'other.test/log' }), { code: 'CHECKPOINT_ORIGIN_MISMATCH' });
  });

  test('malformed notes are refused', () => {
    const note = signCheckpoint(cp, signer);
    for (const bad of [note.replace('\n\n', '\n'), note.replace('— ', '-- '), note.slice(0, -1), note.replace(/ [^ ]+\n$/, ' !!!\n'), note.replace('\n\n', '\n\t\n')]) {
      assert.throws(() => parseSignedCheckpoint(bad), { code: 'CHECKPOINT_MALFORMED' }, JSON.stringify(bad));
    }
  });
});

describe('key encodings', () => {
  test('verifier key <name>+<hex key ID>+<base64(0x01 || key)> round trips', () => {
    const vkey = encodeVerifierKey(signer);
    const id = checkpointKeyId(signer.name, signer.publicKey).toString(16).padStart(8, '0');
    assert.match(vkey, new RegExp(`^radledger-test\\+${id}\\+[A-Za-z0-9+/]{44}$`));
    const parsed = parseVerifierKey(vkey);
    assert.equal(parsed.name, signer.name);
    assert.ok(parsed.publicKey.equals(signer.publicKey));
    assert.deepEqual(verifySignedCheckpoint(signCheckpoint(cp, signer), parsed), cp);
  });

  test('verifier keys with a wrong ID, type or shape are refused', () => {
    const vkey = encodeVerifierKey(signer);
    const [name, id, key] = vkey.split('+') as [string, string, string];
    const wrongId = ((parseInt(id, 16) ^ 1) >>> 0).toString(16).padStart(8, '0');
    const raw = Buffer.from(key, 'base64');
    raw[0] = 0x02;
    for (const bad of [`${name}+${wrongId}+${key}`, `${name}+${id}+${raw.toString('base64')}`, `${name}+${id}`, `bad name+${id}+${key}`]) {
      assert.throws(() => parseVerifierKey(bad), { code: 'CHECKPOINT_KEY_INVALID' }, bad);
    }
  });

  test('signer key PRIVATE+KEY+... round trips and signs verifiably', () => {
    const skey = encodeSignerKey(signer);
    assert.match(skey, /^PRIVATE\+KEY\+radledger-test\+[0-9a-f]{8}\+/);
    const parsed = parseSignerKey(skey);
    assert.ok(createPublicKey(parsed.privateKey).equals(signer.publicKey));
    assert.equal(encodeVerifierKey(parsed), encodeVerifierKey(signer));
    assert.deepEqual(verifySignedCheckpoint(signCheckpoint(cp, parsed), signer), cp);
    assert.throws(() => parseSignerKey(skey.replace('PRIVATE', 'PUBLIC')), { code: 'CHECKPOINT_KEY_INVALID' });
  });

  test('key names must have no spaces and no plus', () => {
    assert.throws(() => generateCheckpointSigner('has space'), { code: 'CHECKPOINT_KEY_INVALID' });
    assert.throws(() => generateCheckpointSigner('a+b'), { code: 'CHECKPOINT_KEY_INVALID' });
    assert.throws(() => generateCheckpointSigner(''), { code: 'CHECKPOINT_KEY_INVALID' });
  });
});
