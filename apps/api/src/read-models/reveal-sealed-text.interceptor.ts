import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Runtime } from '@radledger/runtime';
import { from, mergeMap, type Observable } from 'rxjs';
import { RUNTIME } from '../ledger/ledger.tokens.js';
import { requestOf } from '../auth/auth.decorators.js';
import { BlindedTrials, blindDecisions, blindedFor, decisionTrialIds } from './blinded-view.js';

type Row = Record<string, unknown>;

/**
 * Read models keep free text sealed, as the ledger does (ADR 0007): plaintext is never written to
 * a read-model table. This opens it on the way out of a query, through the subject key store:
 * the text when the key exists, `[redacted]` when a redaction destroyed it. Audit entries
 * (objects with `redaction: null`) get that redaction's who/when/why. Then, for monitors of a
 * blinded trial, the model's decisions are replaced by `[blinded]`.
 */
@Injectable()
export class RevealSealedTextInterceptor implements NestInterceptor {
  private readonly blindedTrials: BlindedTrials;

  constructor(@Inject(RUNTIME) private readonly runtime: Runtime) {
    this.blindedTrials = new BlindedTrials(runtime.store);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const actor = requestOf(context).actor;
    return next.handle().pipe(mergeMap((result) => from(this.reveal(result).then((opened) => this.blind(opened, actor)))));
  }

  /** Monitors of a blinded trial never see the model's decisions (blinded-view.ts). */
  private async blind(result: unknown, actor: Parameters<typeof blindedFor>[0]): Promise<unknown> {
    if (!actor || !actor.grants.some((g) => g.role === 'monitor')) return result;
    const blinded = new Set<string>();
    for (const trialId of decisionTrialIds(result)) if (blindedFor(actor, trialId) && (await this.blindedTrials.isBlinded(trialId))) blinded.add(trialId);
    if (blinded.size > 0) blindDecisions(result, blinded);
    return result;
  }

  private async reveal(result: unknown): Promise<unknown> {
    const cipher = this.runtime.fieldCipher;
    const entries: Row[] = [];
    collectAuditEntries(result, entries);
    if (entries.length > 0) {
      const opened = await cipher.revealAll(entries);
      entries.forEach((entry, i) => {
        Object.assign(entry, opened[i]!.value);
        entry['redaction'] = opened[i]!.redactions[0] ?? null;
      });
    }
    return (await cipher.reveal(result)).value;
  }
}

function collectAuditEntries(value: unknown, into: Row[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectAuditEntries(v, into);
  } else if (value && typeof value === 'object') {
    const row = value as Row;
    if ('redaction' in row && row['redaction'] === null && typeof row['eventId'] === 'string') into.push(row);
    else for (const v of Object.values(row)) collectAuditEntries(v, into);
  }
}
