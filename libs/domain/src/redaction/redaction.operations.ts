import { defineCommand, exposeCommand } from '../shared/operation.js';
import { streamIds } from '../shared/stream-ids.js';
import { redactionDecider, REDACTION_ROLES } from './redaction.decider.js';
import { RedactPayloadInput } from './redaction.commands.js';

export const RedactPayloadCommand = defineCommand({
  type: 'RedactPayload',
  context: 'redaction',
  input: RedactPayloadInput,
  decider: redactionDecider,
  stream: (d) => streamIds.redaction(d.eventId),
  facts: async (d, _own, read) => {
    const e = await read.findEvent(d.eventId, d.streamId);
    return { target: e ? { eventId: e.eventId, streamId: e.streamId, type: e.type, hash: e.hash } : null };
  },
});

export const redactionCommands = [RedactPayloadCommand] as const;

export const redactionOperations = [
  exposeCommand(RedactPayloadCommand, {
    description:
      'Request (first person) or approve (second person, other role) the redaction of an event payload; the result names RedactionRequested or PayloadRedacted. Both people must hold their role for the trial the event belongs to.',
    access: { roles: REDACTION_ROLES, scope: { kind: 'record', record: 'event', id: (d) => d.eventId } },
  }),
] as const;
