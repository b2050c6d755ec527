import { IllegalStateError, NotFoundError } from '@radledger/platform';
import type { CommandContext } from '../shared/decider.js';
import { assertUnreachable, ignoreUnknown } from '../shared/assert-unreachable.js';
import { requireId, requireReason } from '../shared/guards.js';
import type { SignedRecordFact } from '../signatures/signatures.decider.js';
import type { RedactionCommand } from './redaction.commands.js';
import type { RedactionEvent } from './redaction.events.js';

export const REDACTION_ROLES = ['regulatory', 'admin'] as const;
type RedactionRole = (typeof REDACTION_ROLES)[number];

export interface RedactionState {
  request: { requestedBy: string; requestedRole: RedactionRole; justification: string } | null;
  redacted: boolean;
}

export interface RedactionFacts {
  /** The event whose payload is to be redacted, as read from the ledger (null: none). */
  target?: SignedRecordFact | null;
}

export function initialState(): RedactionState {
  return { request: null, redacted: false };
}

export function decide(command: RedactionCommand, state: RedactionState, ctx: CommandContext<RedactionFacts>): RedactionEvent[] {
  switch (command.type) {
    case 'RedactPayload': {
      const d = command.data;
      const eventId = requireId('eventId', d.eventId);
      const target = ctx.facts.target;
      if (!target || target.eventId !== eventId) throw new NotFoundError(`eventId: no recorded event ${eventId} to redact`, { field: 'eventId' });
      if (state.redacted) throw new IllegalStateError('ALREADY_REDACTED', `eventId: the payload of ${eventId} is already redacted`, { field: 'eventId' });
      if (!(REDACTION_ROLES as readonly string[]).includes(ctx.role)) {
        throw new IllegalStateError('REDACTION_ROLE_REQUIRED', `role: redaction needs one regulatory and one admin; ${ctx.role} may not take part`, { field: 'role' });
      }
      const role = ctx.role as RedactionRole;
      const justification = requireReason('justification', d.justification);
      const base = { eventId, streamId: target.streamId, eventType: target.type, eventHash: target.hash };
      if (state.request === null) {
        return [{ type: 'RedactionRequested', data: { ...base, justification, requestedBy: ctx.actor, requestedRole: role } }];
      }
      if (state.request.requestedBy === ctx.actor) throw new IllegalStateError('REDACTION_SAME_PERSON', `actor: ${ctx.actor} requested this redaction; a second person must approve it`, { field: 'actor' });
      if (state.request.requestedRole === ctx.role) throw new IllegalStateError('REDACTION_ROLE_DUPLICATE', `role: the request came from ${ctx.role}; the approval must come from the other role`, { field: 'role' });
      return [
        {
          type: 'PayloadRedacted',
          data: { ...base, justification, requestedBy: state.request.requestedBy, requestedRole: state.request.requestedRole, approvedBy: ctx.actor, approvedRole: role },
        },
      ];
    }
    default:
      return assertUnreachable(command.type);
  }
}

export function evolve(state: RedactionState, event: RedactionEvent): RedactionState {
  switch (event.type) {
    case 'RedactionRequested':
      return { ...state, request: { requestedBy: event.data.requestedBy, requestedRole: event.data.requestedRole, justification: event.data.justification } };
    case 'PayloadRedacted':
      return { ...state, redacted: true };
    default:
      return ignoreUnknown(state, event);
  }
}

export const redactionDecider = { decide, evolve, initialState };
