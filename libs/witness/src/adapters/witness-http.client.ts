import { formatAddCheckpointRequest, type AddCheckpointRequest } from '../core/add-checkpoint.js';

/** The witness's answer as the checkpointer needs it; `status: 0` is a network failure. */
export interface WitnessReply {
  status: number;
  contentType: string;
  body: string;
}

/** Sends tlog-witness requests; a port so tests and benches can count or break calls. */
export interface WitnessClient {
  addCheckpoint(submissionPrefix: string, request: AddCheckpointRequest): Promise<WitnessReply>;
}

/** `fetch` (HTTP keep-alive, as tlog-witness recommends) with a per-request timeout. */
export class FetchWitnessClient implements WitnessClient {
  constructor(private readonly timeoutMs = 10_000) {}

  async addCheckpoint(prefix: string, request: AddCheckpointRequest): Promise<WitnessReply> {
    const url = `${prefix.replace(/\/+$/, '')}/add-checkpoint`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: formatAddCheckpointRequest(request),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.text() };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { status: 0, contentType: '', body: `${url}: ${cause ?? (error as Error).message}` };
    }
  }
}
