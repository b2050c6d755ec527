import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findPhiInIdentifier, findPhiInFreeText, scanForPhi } from './phi-detector.js';

test('pseudonyms pass, names/dates/MRNs do not', () => {
  for (const ok of ['GLIO01-A-0001', 'SUBJ-42', 'P001', 'site3_subject17']) assert.equal(findPhiInIdentifier(ok), null, ok);
  for (const bad of ['DOE^JANE', 'Jane Doe', 'Doe, Jane', '1980-02-03', '19800203', '12345678', 'anne.smith']) assert.notEqual(findPhiInIdentifier(bad), null, bad);
});

test('free text: obvious PHI refused, ordinary reasons accepted', () => {
  for (const ok of ['Excluded vessel at the anterior margin', 'Re-run with bin width 25', 'Pathology result available', 'nnunet@2.1.0', 'intensity x^2 scaling']) assert.equal(findPhiInFreeText(ok), null, ok);
  for (const bad of ['born 1970', 'MRN: 1234', 'mail jane@example.org', 'call 555-123-4567', 'SSN 123-45-6789', 'scan of 12/03/1961']) assert.notEqual(findPhiInFreeText(bad), null, bad);
});

test('hashes and uuids are never mistaken for PHI (property)', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (b) => scanForPhi({ sha: Buffer.from(b).toString('hex') }) === null));
  fc.assert(fc.property(fc.uuid(), (u) => scanForPhi({ id: u }) === null));
});
