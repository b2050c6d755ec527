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

function headRootSuite(backend: TestBackend): void {
  describe(`LedgerService head root: ${backend.name}`, () => {
    it('extends the root incrementally as the ledger grows, and serves older sizes from cached subtrees', async () => {
      const env = await backend.create();
      try {
        const ledger = new LedgerService(env.store);
        let leavesRead = 0;
        const read = env.store.readLeafHashes.bind(env.store);
        env.store.readLeafHashes = async (from, to) => {
          const leaves = await read(from, to);
          leavesRead += leaves.length;
          return leaves;
        };
        assert.equal((await ledger.headRoot()).rootHash, merkleRoot([]).toString('hex'));
        let size = 0;
        for (const batch of [1, 2, 300, 1, 5, 700]) {
          await env.store.append(`grow-${size}`, 'no-stream', Array.from({ length: batch }, () => newTestEvent()));
          size += batch;
          leavesRead = 0;
          const head = await ledger.headRoot();
          // Only the new leaves and the one the range ends with are read.
          assert.equal(leavesRead, batch + (size > batch ? 1 : 0));
          const leaves = await read(0, size);
          assert.equal(head.size, size);
          assert.equal(head.rootHash, merkleRoot(leaves).toString('hex'));
          assert.equal(await ledger.rootAt(size), head.rootHash);
          for (const older of [1, Math.floor(size / 2), size - 1].filter((n) => n > 0)) {
            assert.equal(await ledger.rootAt(older), merkleRoot(leaves.slice(0, older)).toString('hex'), `root at ${older} of ${size}`);
          }
        }
        // Concurrent callers get the same root.
        await env.store.append('grow-last', 'no-stream', [newTestEvent()]);
        const roots = await Promise.all([ledger.headRoot(), ledger.headRoot(), ledger.rootAt(size + 1)]);
        assert.deepEqual(new Set(roots.map((r) => (typeof r === 'string' ? r : r.rootHash))).size, 1);
        await assert.rejects(ledger.rootAt(size + 2), (e: unknown) => (e as DomainError).code === 'TREE_SIZE_INVALID');
      } finally {
        await env.dispose();
      }
    });

    it('starts over when the store no longer holds the leaves the root was built from', async () => {
      const env = await backend.create();
      try {
        const ledger = new LedgerService(env.store);
        await env.store.append('a', 'no-stream', Array.from({ length: 20 }, () => newTestEvent()));
        const before = await ledger.headRoot();
        // Someone with database access replaces the last event, then the ledger grows.
        const [last] = await env.raw.rows([19]);
        await env.raw.deleteRows([19]);
        await env.raw.insertRows([{ ...last!, event_id: `${last!.event_id}-x`, hash: 'ab'.repeat(32) }]);
        const replaced = await ledger.headRoot();
        assert.notEqual(replaced.rootHash, before.rootHash);
        assert.equal(replaced.rootHash, merkleRoot(await env.store.readLeafHashes(0, 20)).toString('hex'));
        await env.raw.deleteRows([19]);
        await env.raw.insertRows([last!]);
        await env.store.append('b', 'no-stream', [newTestEvent()]);
        assert.equal((await ledger.headRoot()).rootHash, merkleRoot(await env.store.readLeafHashes(0, 21)).toString('hex'));
      } finally {
        await env.dispose();
      }
    });
  });
}

serviceSuite(sqliteBackend);
serviceSuite(postgresBackend);
headRootSuite(sqliteBackend);
headRootSuite(postgresBackend);
