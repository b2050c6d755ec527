import { IllegalStateError, ValidationError } from '@radledger/platform';
import type { OpenLineageRunEvent } from '../openlineage/openlineage.mapper.js';

export interface OpenLineagePushOptions {
  /** The OpenLineage HTTP endpoint's base URL (Marquez: http://host:5000); events go to `<url>/api/v1/lineage` unless the URL already ends in a path. */
  url: string;
  /** `Authorization: Bearer <apiKey>` when given (the OpenLineage HTTP transport's api_key auth). */
  apiKey?: string;
  fetch?: typeof globalThis.fetch;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

export interface OpenLineagePushResult {
  endpoint: string;
  sent: number;
}

/** `<base>/api/v1/lineage` (the OpenLineage HTTP transport's default endpoint) unless a path is given. */
export function lineageEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('ENDPOINT_INVALID', `push: expected an http(s) URL of an OpenLineage endpoint, got ${JSON.stringify(url)}`, { field: 'push' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ValidationError('ENDPOINT_INVALID', `push: expected http or https, got ${parsed.protocol}`, { field: 'push' });
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/api/v1/lineage';
  return parsed.toString();
}

/**
 * POSTs the events one by one, in order (START before COMPLETE), as the OpenLineage HTTP
 * transport does; stops at the first refusal with OPENLINEAGE_PUSH_FAILED naming the event and
 * the answer, so a re-run resends from the start (consumers key runs by runId and eventType).
 */
export async function pushOpenLineageEvents(events: readonly OpenLineageRunEvent[], options: OpenLineagePushOptions): Promise<OpenLineagePushResult> {
  const endpoint = lineageEndpoint(options.url);
  const send = options.fetch ?? globalThis.fetch;
  let sent = 0;
  for (const event of events) {
    let status: number;
    let body = '';
    try {
      const res = await send(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      status = res.status;
      if (!res.ok) body = (await res.text()).slice(0, 300);
    } catch (error) {
      throw new IllegalStateError('OPENLINEAGE_PUSH_FAILED', `push: ${endpoint} unreachable after ${sent} of ${events.length} events (${(error as Error).message})`, { field: 'push', sent });
    }
    if (status < 200 || status >= 300) {
      throw new IllegalStateError('OPENLINEAGE_PUSH_FAILED', `push: ${endpoint} answered ${status} to the ${event.eventType} event of run ${event.run.runId} after ${sent} of ${events.length} events: ${body}`, { field: 'push', sent, status });
    }
    sent++;
  }
  return { endpoint, sent };
}
