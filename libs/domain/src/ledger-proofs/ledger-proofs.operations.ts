import { ROLES } from '../shared/access-scope.js';
import { defineQuery, defineRoute } from '../shared/operation.js';
import { S } from '../shared/schema.js';

/**
 * The ledger as a whole: sizes, roots, checkpoints and proofs carry no subject data (an
 * inclusion proof's canonical payload is subject data, and the read policy treats it so).
 */
export const ledgerProofOperations = [
  defineQuery({
    field: 'ledgerStatus',
    context: 'ledger',
    description: 'Size, last hash, Merkle root and the latest signed checkpoint of the ledger.',
    input: S.obj({}),
    access: { roles: ROLES, scope: { kind: 'caller' } },
    result: 'none',
  }),
  defineQuery({
    field: 'inclusionProof',
    context: 'ledger',
    description: 'RFC 9162 inclusion proof of one event; default treeSize: the latest checkpoint covering it, else the head.',
    input: S.obj({ eventId: S.gid(), treeSize: S.optional(S.int({ minimum: 1 })) }),
    access: { roles: ROLES, scope: { kind: 'record', record: 'event', id: (d) => d.eventId } },
    result: 'event',
  }),
  defineQuery({
    field: 'consistencyProof',
    context: 'ledger',
    description: 'RFC 9162 consistency proof that the tree of `from` leaves is a prefix of the tree of `to`.',
    input: S.obj({ from: S.int({ minimum: 0 }), to: S.int({ minimum: 0 }) }),
    access: { roles: ROLES, scope: { kind: 'caller' } },
    result: 'none',
  }),
  defineQuery({
    field: 'verifyLedger',
    context: 'ledger',
    description: 'Re-verifies every stored event (hash, canonical bytes, chain, Merkle root) and every stored checkpoint. Expensive: rate-limited per user.',
    input: S.obj({}),
    access: { roles: ['qa', 'regulatory', 'monitor', 'admin'], scope: { kind: 'caller' }, cost: 200, ratePerMinute: 2 },
    result: 'none',
  }),
  defineQuery({
    field: 'projectionStatus',
    context: 'ledger',
    description: "Each read model's checkpoint and lag behind the ledger head.",
    input: S.obj({}),
    access: { roles: ROLES, scope: { kind: 'caller' } },
    result: 'none',
  }),
  defineRoute({ field: 'GET /health', context: 'ledger', description: 'Liveness.', input: S.obj({}), access: { roles: [], scope: { kind: 'public' } }, result: 'none' }),
  defineRoute({
    field: 'GET /metrics',
    context: 'ledger',
    description: 'Prometheus metrics (counts only, no trial data). In production only with RADLEDGER_METRICS_TOKEN as the bearer, or on RADLEDGER_METRICS_PORT.',
    input: S.obj({}),
    access: { roles: [], scope: { kind: 'public' } },
    result: 'none',
  }),
  defineRoute({ field: 'GET /ready', context: 'ledger', description: 'Readiness (ledger and read models reachable).', input: S.obj({}), access: { roles: [], scope: { kind: 'public' } }, result: 'none' }),
] as const;
