import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '@radledger/platform';
import { generateCheckpointSigner, verifySignedCheckpoint } from './core/checkpoint.js';
import { merkleRoot } from './core/merkle.js';
import { LedgerService } from './ledger.service.js';
import { verifyProofBundle } from './proof-bundle.js';
import { postgresBackend, sqliteBackend, type TestBackend } from './testing/ledger-backends.js';
import { newTestEvent } from './testing/ledger-fixtures.js';

const EVENTS = 37;

function serviceSuite(backend: TestBackend): void {
  describe(`LedgerService: ${backend.name}`, () => {
    let env: Awaited<ReturnType<TestBackend['create']>>;
    let ledger: LedgerService;
    const signer = generateCheckpointSigner('radledger-test');
    const ids: string[] = [];

    before(async () => {
      env = await backend.create();
      ledger = new LedgerService(env.store, { origin: 'radledger.test/service', now: () => new Date('2026-11-25T13:00:00.000Z') });
      for (let i = 0; i < EVENTS; ) {
        const events = Array.from({ length: Math.min(1 + (i % 4), EVENTS - i) }, () => newTestEvent());
        const result = await env.store.append(`stream-${i % 5}`, 'any', events);
        ids.push(...result.events.map((e) => e.eventId));
        i += events.length;
      }
    });
    after(async () => env?.dispose());

    it('verifies an empty-checkpoint ledger and returns the RFC 9162 root of the stored leaves', async () => {
      const report = await ledger.verifyLedger();
      const leaves = await env.store.readLeafHashes(0, EVENTS);
      assert.equal(report.size, EVENTS);
      assert.equal(report.rootHash, merkleRoot(leaves).toString('hex'));
      assert.equal(report.lastHash, (await env.store.head()).lastHash);
      assert.equal(report.checkpointsStored, 0);
    });

    it('issues a signed checkpoint of the head, stores it, and verify checks it', async () => {
      const { checkpoint, note } = await ledger.issueCheckpoint(signer);
      assert.equal(checkpoint.treeSize, EVENTS);
      assert.equal(checkpoint.issuedAt, '2026-11-25T13:00:00.000Z');
      assert.deepEqual(verifySignedCheckpoint(note, signer, { origin: 'radledger.test/service' }), checkpoint);
      assert.deepEqual(await env.store.latestCheckpoint(), {
        treeSize: EVENTS,
        rootHash: checkpoint.rootHash,
        issuedAt: checkpoint.issuedAt,
        note,
      });
      const report = await ledger.verifyLedger({ verifier: signer });
      assert.equal(report.checkpointsVerified, 1);
      assert.equal(report.rootHash, checkpoint.rootHash);
    });

    it('proves inclusion of every event, by default against the latest checkpoint', async () => {
      for (const [index, eventId] of ids.entries()) {
        const bundle = await ledger.proveInclusion(eventId);
        assert.equal(bundle.leafIndex, index);
        assert.equal(bundle.treeSize, EVENTS);
        assert.ok(bundle.checkpoint);
        assert.deepEqual(verifyProofBundle(bundle, { verifier: signer }).rootSigned, true);
      }
    });

    it('proves inclusion in every earlier tree size, and rejects a size that does not include the event', async () => {
      const eventId = ids[5]!;
      for (let size = 6; size <= EVENTS; size += 1) {
        const bundle = await ledger.proveInclusion(eventId, size);
        assert.equal(bundle.rootHash, merkleRoot(await env.store.readLeafHashes(0, size)).toString('hex'));
        assert.equal(verifyProofBundle(bundle).rootSigned, false);
      }
      await assert.rejects(ledger.proveInclusion(eventId, 5), (e: unknown) => (e as DomainError).code === 'TREE_SIZE_INVALID');
      await assert.rejects(ledger.proveInclusion(eventId, EVENTS + 1), (e: unknown) => (e as DomainError).code === 'TREE_SIZE_INVALID');
      await assert.rejects(ledger.proveInclusion('no-such-event'), (e: unknown) => (e as DomainError).code === 'NOT_FOUND');
    });

    it('proves consistency between every pair of sizes, signed where a checkpoint exists', async () => {
      for (let size1 = 1; size1 <= EVENTS; size1 += 3) {
        for (let size2 = size1; size2 <= EVENTS; size2 += 4) {
          verifyProofBundle(await ledger.proveConsistency(size1, size2));
        }
        const toCheckpoint = await ledger.proveConsistency(size1, EVENTS);
        assert.ok(toCheckpoint.checkpoint2);
        verifyProofBundle(toCheckpoint, { verifier: signer });
      }
      await assert.rejects(ledger.proveConsistency(10, 9), (e: unknown) => (e as DomainError).code === 'TREE_SIZE_INVALID');
    });

    it('a proof bundle altered anywhere no longer verifies', async () => {
      const bundle = await ledger.proveInclusion(ids[17]!);
      const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
      const altered = [
        { ...bundle, proof: bundle.proof.map((p, i) => (i === 2 ? flip(p) : p)) },
        { ...bundle, rootHash: flip(bundle.rootHash) },
        { ...bundle, leafIndex: 16 },
        { ...bundle, treeSize: EVENTS - 1 },
        { ...bundle, canonical: bundle.canonical.replace('"accepted"', '"rejected"') },
        { ...bundle, proof: bundle.proof.slice(1) },
      ];
      for (const doc of altered) assert.throws(() => verifyProofBundle(doc, { verifier: signer }), DomainError);
      const other = generateCheckpointSigner('radledger-test');
      assert.throws(() => verifyProofBundle(bundle, { verifier: other }), (e: unknown) => (e as DomainError).code === 'CHECKPOINT_SIGNATURE_MISSING');
    });
  });
}

serviceSuite(sqliteBackend);
serviceSuite(postgresBackend);
