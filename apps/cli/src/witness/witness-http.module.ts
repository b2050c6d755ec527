import { Controller, Get, Inject, Module, Param, Post, Req, Res, type DynamicModule } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { MAX_ADD_CHECKPOINT_BYTES, Witness, type WitnessResponse } from '@radledger/witness';

interface RawResponse {
  status(code: number): RawResponse;
  setHeader(name: string, value: string): unknown;
  send(body: Buffer): unknown;
}

/** The raw body: the request stream (the app must not parse it), or what a body parser left as text/bytes. */
async function readBody(req: IncomingMessage & { body?: unknown }): Promise<Buffer | 'too-large'> {
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (Buffer.isBuffer(req.body)) return req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADD_CHECKPOINT_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: RawResponse, answer: WitnessResponse): void {
  res.setHeader('Content-Type', answer.contentType);
  res.setHeader('Cache-Control', 'no-store');
  // A Buffer, so the framework adds no charset: the 409 type must be exactly text/x.tlog.size.
  res.status(answer.status).send(Buffer.from(answer.body, 'utf8'));
}

/** The C2SP tlog-witness HTTP interface: submission and monitoring prefixes are both the mount point. */
@Controller()
export class WitnessController {
  constructor(@Inject(Witness) private readonly witness: Witness) {}

  @Post('add-checkpoint')
  async addCheckpoint(@Req() req: IncomingMessage & { body?: unknown }, @Res() res: RawResponse): Promise<void> {
    const body = await readBody(req);
    if (body === 'too-large') return send(res, { status: 413, contentType: 'text/plain; charset=utf-8', body: `request body larger than ${MAX_ADD_CHECKPOINT_BYTES} bytes\n` });
    send(res, await this.witness.addCheckpoint(body));
  }

  @Get(':originHash/checkpoint')
  async checkpoint(@Param('originHash') originHash: string, @Res() res: RawResponse): Promise<void> {
    send(res, await this.witness.latestCheckpoint(originHash));
  }

  /** The witness's cosignature vkey, so a ledger operator can copy it into RADLEDGER_WITNESSES and a policy. */
  @Get('vkey')
  vkey(@Res() res: RawResponse): void {
    send(res, { status: 200, contentType: 'text/plain; charset=utf-8', body: `${this.witness.verifierKey}\n` });
  }
}

/**
 * The witness as a Nest module: `WitnessHttpModule.forWitness(witness)`. Create the app
 * with `bodyParser: false` (the controller reads the exact bytes; a parsed JSON body would
 * not be a tlog-witness request anyway).
 */
@Module({})
export class WitnessHttpModule {
  static forWitness(witness: Witness): DynamicModule {
    return { module: WitnessHttpModule, controllers: [WitnessController], providers: [{ provide: Witness, useValue: witness }] };
  }
}
