import { createTimestampRequest, TimestampError, tokenFromResponse } from './rfc3161.js';
import type { CheckpointTimestamper } from './timestamper.port.js';

/** RFC 3161 §3.4 over HTTP: POST application/timestamp-query, answer application/timestamp-reply. */
export class HttpTimestamper implements CheckpointTimestamper {
  constructor(
    readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async stamp(data: Uint8Array): Promise<{ token: Uint8Array; nonce: bigint }> {
    const { request, nonce } = createTimestampRequest(data);
    let res: Response;
    try {
      res = await fetch(this.url, { method: 'POST', headers: { 'Content-Type': 'application/timestamp-query' }, body: request, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new TimestampError('TSA_RESPONSE_MALFORMED', `TSA ${this.url} unreachable: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`);
    }
    if (!res.ok) throw new TimestampError('TSA_REJECTED', `TSA ${this.url} answered HTTP ${res.status}`);
    return { token: tokenFromResponse(new Uint8Array(await res.arrayBuffer())), nonce };
  }
}
