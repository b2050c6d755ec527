import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parseCosignatureVerifierKey, type CosignatureVerifier } from '../core/cosignature.js';

export interface WitnessProcess {
  name: string;
  url: string;
  port: number;
  vkey: string;
  verifier: CosignatureVerifier;
  /** SIGTERM, resolved when the process has exited. */
  stop(): Promise<void>;
}

/** A free loopback TCP port (the OS picks it; released before the witness binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `npm run cli -- witness serve` as its own process (the real CLI, real HTTP on
 * loopback) and resolves once it prints its address and vkey. `dir` holds its key and state,
 * so a witness restarted on the same dir resumes where it stopped.
 */
export async function startWitnessProcess(options: { dir: string; name: string; port: number; logs: string[]; readyTimeoutMs?: number }): Promise<WitnessProcess> {
  const args = ['--import', '@swc-node/register/esm-register', 'apps/cli/src/main.ts', 'witness', 'serve', '--port', String(options.port), '--key', join(options.dir, 'witness-key.pem'), '--data', options.dir, '--name', options.name];
  for (const log of options.logs) args.push('--log', log);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RADLEDGER_STORE: '', RADLEDGER_SIGNING_KEY: '' } });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ url: string; vkey: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`witness ${options.name} did not start: ${err}`)), options.readyTimeoutMs ?? 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)\n/.exec(out)?.[1];
      const vkey = /^vkey (\S+)$/m.exec(out)?.[1];
      if (url && vkey) {
        clearTimeout(timer);
        resolve({ url, vkey });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`witness ${options.name} exited with ${code}: ${err}`));
    });
  });
  return {
    name: options.name,
    url: ready.url,
    port: Number(new URL(ready.url).port),
    vkey: ready.vkey,
    verifier: parseCosignatureVerifierKey(ready.vkey),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
