import { hostname } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { parseVerifierKey, type CheckpointVerifier } from '@radledger/ledger';
import { loadOrCreateWitnessKey, SqliteWitnessStateStore, Witness } from '@radledger/witness';
import { WitnessHttpModule } from '../witness/witness-http.module.js';
import { CliFailure } from '../cli-failure.js';

export interface ServeOptions {
  port: string;
  host: string;
  key: string;
  log: string[];
  data: string;
  name?: string;
}

/** `--log <origin>=<vkey>`: the vkey has no '=' (base64 of 33 bytes needs no padding), so the last '=' splits. */
export function parseLogOption(value: string): { origin: string; verifier: CheckpointVerifier } {
  const at = value.lastIndexOf('=');
  if (at <= 0) throw new CliFailure(`--log must be <origin>=<vkey>, got "${value}"`, 2);
  try {
    return { origin: value.slice(0, at), verifier: parseVerifierKey(value.slice(at + 1)) };
  } catch (error) {
    throw new CliFailure(`--log ${value.slice(0, at)}: ${(error as Error).message}`, 2);
  }
}

export async function serveWitness(options: ServeOptions): Promise<void> {
  if (!/^\d+$/.test(options.port) || Number(options.port) > 65535) throw new CliFailure(`--port must be 0-65535, got "${options.port}"`, 2);
  if (options.log.length === 0) throw new CliFailure('--log <origin>=<vkey> is required (at least one log to witness)', 2);
  const logs = options.log.map(parseLogOption);
  const name = options.name ?? `witness.${hostname().replace(/[^A-Za-z0-9.-]/g, '-')}/${options.port}`;
  const key = loadOrCreateWitnessKey(options.key, name);
  if (key.created) process.stderr.write(`warning: created a new witness key ${key.path}\n`);
  const state = new SqliteWitnessStateStore(join(options.data, 'witness.db'));
  const service = new Witness({ cosigner: key.cosigner, logs, state });
  const app = await NestFactory.create(WitnessHttpModule.forWitness(service), { bodyParser: false, logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  await app.listen(Number(options.port), options.host);
  // Keep idle connections longer than clients do, so a client never reuses a socket the witness is closing (tlog-witness asks for keep-alive).
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`witness ${name} listening on http://${options.host}:${address.port}\nvkey ${key.verifierKey}\n${logs.map((l) => `log ${l.origin}`).join('\n')}\n`);
  const stop = async () => {
    await app.close();
    await state.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
