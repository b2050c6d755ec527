import { ROLES } from '../shared/access-scope.js';
import { defineAction, defineCommand } from '../shared/operation.js';
import { streamIds } from '../shared/stream-ids.js';
import { signaturesDecider, type SignedRecordFact } from './signatures.decider.js';
import { SignRecordInput, SignRecordRequest } from './signatures.commands.js';

export const SignRecordCommand = defineCommand({
  type: 'SignRecord',
  context: 'signatures',
  input: SignRecordInput,
  decider: signaturesDecider,
  prepare: (d, newId) => ({ ...d, signatureId: d.signatureId ?? newId('signatureId') }),
  stream: (d) => streamIds.signatures(d.eventId),
  facts: async (d, _own, read) => {
    const e = await read.findEvent(d.eventId, d.streamId);
    const target: SignedRecordFact | null = e ? { eventId: e.eventId, streamId: e.streamId, type: e.type, hash: e.hash } : null;
    return { target };
  },
});

export const signaturesCommands = [SignRecordCommand] as const;

export const signaturesOperations = [
  defineAction({
    field: 'signRecord',
    context: 'signatures',
    description: "Sign a recorded event; the signature binds the event's hash (21 CFR 11.70). Needs the signer's password re-entered or a session under 5 minutes old.",
    input: SignRecordRequest,
    access: { roles: ROLES, scope: { kind: 'record', record: 'event', id: (d) => d.eventId } },
    records: [SignRecordCommand],
    signs: true,
  }),
] as const;
