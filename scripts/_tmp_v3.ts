import { createHash } from 'node:crypto';
import { sealEnvelope, GENESIS_PREV_HASH, ChainVerifier, type RecordedEvent } from '@radledger/ledger';
const N = 20000;
const evs: RecordedEvent[] = [];
let prev = GENESIS_PREV_HASH;
for (let i = 0; i < N; i++) {
  const e = sealEnvelope({ eventId: `0190c1f2-1234-7abc-8def-${String(i).padStart(12, '0')}`, streamId: `s-${i % 10}`, streamRevision: String(Math.floor(i / 10)), globalPosition: String(i), type: 'FeaturesComputed', schemaVersion: 1,
    data: { note: 'x'.repeat(560), values: { a: 1.5, b: -2, c: 'ibsi' }, list: [1, 2, 3] },
    meta: { actor: 'u1', role: 'analyst', correlationId: 'c', causationId: 'c', recordedAt: '2026-01-01T00:00:00.000Z', client: 'radledger 0.1' }, prevHash: prev });
  prev = e.hash; evs.push(e);
}
const bufs = evs.map((e) => Buffer.from(e.canonical));
const time = (f: () => void) => { const s = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - s); };
let raw = 0, on = 0, off = 0;
for (let rep = 0; rep < 30; rep++) {
  raw += time(() => { for (const b of bufs) createHash('sha256').update(b).digest(); });
  on += time(() => { const v = new ChainVerifier(); for (const e of evs) v.push(e); v.finish(); });
  off += time(() => { const v = new ChainVerifier({ checkCanonical: false }); for (const e of evs) v.push(e); v.finish(); });
}
const rate = (ns: number) => Math.round((30 * N) / (ns / 1e9));
console.log('bytes', Buffer.byteLength(evs[0]!.canonical), 'raw', rate(raw), 'on', rate(on), 'off', rate(off), 'ratios on', (raw / on).toFixed(2), 'off', (raw / off).toFixed(2));
