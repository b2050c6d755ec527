import { Inject } from '@nestjs/common';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import type { Application } from '@radledger/application';
import { AuthenticationError } from '@radledger/application';
import { DomainError } from '@radledger/platform';
import { APPLICATION } from '../ledger/ledger.tokens.js';
import { AlertBus } from './alert-bus.service.js';
import { MonitorAlertModel, type MonitorAlert } from './monitor-alert.model.js';

/**
 * GraphQL subscriptions, each authorised as the declared query it watches (ADR 0015): the
 * access policy and the result policy (trial/site filtering, blinding) are that query's, checked
 * again with the caller's current grants for every alert delivered.
 */
export const SUBSCRIPTION_ACCESS = { monitorAlerts: 'lockedAlgorithmCompliance' } as const;

interface SubscriptionContext {
  req?: { headers?: Record<string, string | string[] | undefined> };
}

function bearerOf(context: SubscriptionContext): string {
  const header = context.req?.headers?.['authorization'];
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) throw new AuthenticationError('missing credentials: send connectionParams { authorization: "Bearer <token>" }');
  return match[1];
}

/**
 * An async iterator fed by pushes; `end(last)` delivers `last` and then completes; `return()`
 * (the client unsubscribed) ends it at once.
 */
function pushIterator<T>(start: (push: (value: T) => void, end: (last: T) => void) => () => void): AsyncIterableIterator<T> {
  const queue: T[] = [];
  let waiting: ((r: IteratorResult<T>) => void) | undefined;
  let ending = false;
  let done = false;
  const push = (value: T) => {
    if (done || ending) return;
    if (waiting) {
      waiting({ value, done: false });
      waiting = undefined;
    } else queue.push(value);
  };
  const stop = start(push, (last) => {
    push(last);
    ending = true;
  });
  const finish = (): Promise<IteratorResult<T>> => {
    done = true;
    stop();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done || ending) return finish();
      return new Promise((resolve) => (waiting = resolve));
    },
    return: finish,
    throw: (error: unknown) => {
      void finish();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

@Resolver()
export class MonitorAlertsResolver {
  constructor(
    @Inject(APPLICATION) private readonly app: Application,
    @Inject(AlertBus) private readonly bus: AlertBus,
  ) {}

  @Subscription(() => MonitorAlertModel, {
    name: 'monitorAlerts',
    description:
      'Live alerts of a trial (optionally one site) for monitors, over graphql-ws: protocol deviations, decisions refused (MODEL_NOT_LOCKED, MODEL_HASH_MISMATCH), model locks and retirements, ledger verification failures. Authorised and filtered exactly as lockedAlgorithmCompliance(trialId, siteId), again for every alert. Authenticate with connectionParams { authorization: "Bearer <token>" }.',
    // A refusal met while delivering (session expired, grant revoked) is the last item: a typed error, then the end.
    resolve: (alert: MonitorAlert | DomainError) => {
      if (alert instanceof DomainError) throw alert;
      return alert;
    },
  })
  async monitorAlerts(
    @Args('trialId', { type: () => ID }) trialId: string,
    @Args('siteId', { type: () => ID, nullable: true }) siteId: string | undefined,
    @Context() context: SubscriptionContext,
  ): Promise<AsyncIterableIterator<MonitorAlert | DomainError>> {
    const input = siteId ? { trialId, siteId } : { trialId };
    const token = bearerOf(context);
    await this.app.gateway.feed(SUBSCRIPTION_ACCESS.monitorAlerts, input, await this.app.authenticate(token));
    let unlisten: (() => void) | undefined;
    let ended = false;
    let chain = Promise.resolve();
    const iterator = pushIterator<MonitorAlert | DomainError>((push, end) => {
      void this.bus
        .listen((alert) => {
          if (alert.trialId !== null && alert.trialId !== trialId) return;
          if (siteId && alert.siteId && alert.siteId !== siteId) return;
          // One delivery = one request: the session and the grants as they are now, then the query's result policy.
          chain = chain.then(async () => {
            try {
              const feed = await this.app.gateway.feed(SUBSCRIPTION_ACCESS.monitorAlerts, input, await this.app.authenticate(token));
              const [visible] = await feed.filter([{ ...alert }]);
              if (visible) push(visible);
            } catch (error) {
              if (error instanceof DomainError) end(error);
              else throw error;
            }
          });
        })
        .then(
          (stop) => {
            if (ended) stop();
            else unlisten = stop;
          },
          (error: unknown) => end(error instanceof DomainError ? error : new DomainError('ALERTS_UNAVAILABLE', 'monitorAlerts: the alert feed could not start')),
        );
      return () => {
        ended = true;
        unlisten?.();
      };
    });
    return iterator;
  }
}
