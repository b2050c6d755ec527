import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ed25519FromRaw,
  formatNoteSignatureLine,
  formatVerifierKey,
  noteKeyId,
  parseAnyVerifierKey,
  parseNoteSignatureLine,
  parseSignedNote,
  parseTlogCheckpoint,
  parseVerifierKey,
} from '@radledger/ledger';
import { cosignatureMessage, formatAddCheckpointRequest, parseAddCheckpointRequest } from '@radledger/witness';

/**
 * The published examples of the C2SP specs (libs/ledger/testdata/c2sp-spec-examples.json,
 * CC BY 4.0, The C2SP Authors), checked byte for byte: what we parse re-serialises to the
 * same bytes, the computed key IDs and messages equal the published ones, and the one
 * example whose key is published verifies.
 */
interface Vector {
  desc: string;
  vkey?: string;
  note?: string;
  message?: string;
  request?: string;
  response?: string;
}
const file = JSON.parse(readFileSync(join(process.cwd(), 'libs', 'ledger', 'testdata', 'c2sp-spec-examples.json'), 'utf8')) as { source: { attribution: string }; vectors: Vector[] };
const vector = (prefix: string) => file.vectors.find((v) => v.desc.startsWith(prefix))!;
const reassemble = (text: string, lines: string[]) => `${text}\n${lines.map((l) => `${l}\n`).join('')}`;

describe('C2SP spec examples (libs/ledger/testdata/c2sp-spec-examples.json)', () => {
  test('the file names its source and licence', () => {
    assert.match(file.source.attribution, /C2SP Authors.*CC BY 4\.0/);
    assert.equal(file.vectors.length, 7);
  });

  test('signed-note §Verifier keys: key ID, vkey encoding and the Ed25519 signature of the published example', () => {
    const v = vector('signed-note §Verifier keys');
    const key = parseAnyVerifierKey(v.vkey!);
    assert.equal(key.type, 0x01);
    // key ID = SHA-256(name || 0x0A || 0x01 || key)[:4]
    assert.equal(noteKeyId(key.name, 0x01, key.key), 0x530d903a);
    assert.equal(formatVerifierKey(key.name, 0x01, key.key), v.vkey);
    assert.equal(parseVerifierKey(v.vkey!).keyId, 0x530d903a);
    const note = parseSignedNote(v.note!);
    assert.equal(note.text, 'This is an example message.\n');
    assert.equal(note.signatures.length, 1);
    const sig = note.signatures[0]!;
    assert.equal(sig.name, 'example.com/foo');
    assert.equal(sig.keyId, 0x530d903a);
    assert.equal(reassemble(note.text, [formatNoteSignatureLine(sig.name, sig.keyId, sig.signature)]), v.note);
    const publicKey = ed25519FromRaw(key.key);
    assert.equal(verify(null, Buffer.from(note.text), publicKey, sig.signature), true);
    assert.equal(verify(null, Buffer.from('This is an example message!\n'), publicKey, sig.signature), false);
  });

  test('signed-note: the text may hold an empty line; it ends at the last blank line', () => {
    const v = vector('signed-note introduction');
    const note = parseSignedNote(v.note!);
    assert.equal(note.text, 'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
    assert.equal(note.signatures[0]!.name, 'quasimodo.example/salvatore');
    assert.equal(note.signatures[0]!.signature.length, 64);
    assert.equal(reassemble(note.text, note.signatures.map((s) => formatNoteSignatureLine(s.name, s.keyId, s.signature))), v.note);
  });

  test('tlog-checkpoint: origin, size and root of the published checkpoint, re-serialised byte for byte', () => {
    const v = vector('tlog-checkpoint introduction');
    const note = parseSignedNote(v.note!);
    const cp = parseTlogCheckpoint(note.text);
    assert.equal(cp.origin, 'example.com/behind-the-sofa');
    assert.equal(cp.treeSize, 20852163);
    assert.equal(Buffer.from(cp.rootHash, 'hex').toString('base64'), 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    assert.deepEqual(cp.extensions, []);
    assert.equal(`${cp.origin}\n${cp.treeSize}\n${Buffer.from(cp.rootHash, 'hex').toString('base64')}\n`, note.text);
    assert.equal(reassemble(note.text, note.signatures.map((s) => s.line)), v.note);
  });

  test('tlog-cosignature: the witness line carries the timestamp of the published signed message, and our message is byte for byte the spec\'s', () => {
    const v = vector('tlog-cosignature introduction');
    const note = parseSignedNote(v.note!);
    assert.equal(note.signatures.length, 2);
    const cosig = note.signatures[1]!;
    assert.equal(cosig.name, 'witness.example.com/w1');
    // timestamped_signature: u64 big-endian timestamp || 64-byte Ed25519 signature.
    assert.equal(cosig.signature.length, 72);
    const timestamp = Number(cosig.signature.readBigUInt64BE(0));
    assert.equal(timestamp, 1679315147);
    const message = vector('tlog-cosignature §Ed25519 signed message').message!;
    assert.equal(cosignatureMessage(note.text, timestamp), message);
    assert.equal(reassemble(note.text, note.signatures.map((s) => s.line)), v.note);
    assert.equal(formatNoteSignatureLine(cosig.name, cosig.keyId, cosig.signature), cosig.line);
  });

  test('tlog-witness add-checkpoint: the published request parses and re-serialises byte for byte', () => {
    const body = vector('tlog-witness §add-checkpoint example request').request!;
    const request = parseAddCheckpointRequest(body);
    assert.equal(request.oldSize, 20852014);
    assert.equal(request.proof.length, 4);
    assert.equal(request.proof[0]!.toString('base64'), 'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=');
    const note = parseSignedNote(request.note);
    assert.equal(parseTlogCheckpoint(note.text).treeSize, 20852163);
    assert.equal(note.signatures.length, 2);
    assert.equal(formatAddCheckpointRequest(request), body);
  });

  test('tlog-witness add-checkpoint: the published response is three note signature lines', () => {
    const body = vector('tlog-witness §add-checkpoint example response').response!;
    const lines = body.slice(0, -1).split('\n').map(parseNoteSignatureLine);
    assert.deepEqual(lines.map((l) => l.name), ['witness.example/w1', 'witness.example/w1', 'witness.example/w2']);
    assert.equal(lines.map((l) => `${formatNoteSignatureLine(l.name, l.keyId, l.signature)}\n`).join(''), body);
  });
});
