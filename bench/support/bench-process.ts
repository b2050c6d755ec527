// Starts a bench server (or any TypeScript entry) in its own Node process, so the load
// generator and the server under test do not share an event loop, and waits for the line
// `BENCH-SERVER <json>` it prints when it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BenchProcess<T> {
  child: ChildProcess;
  /** What the process printed after `BENCH-SERVER ` (its port, tokens, …). */
  ready: T;
}

export const BENCH_MARKER = 'BENCH-SERVER ';

/** Prints the marker line with `info` (called by the child). */
export function announce(info: unknown): void {
  process.stdout.write(`${BENCH_MARKER}${JSON.stringify(info)}\n`);
}

/**
 * Extra node flags for every bench child, e.g. RADLEDGER_BENCH_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" to profile the servers under load (NODE_OPTIONS refuses --cpu-prof).
 */
const childNodeArgs = (process.env['RADLEDGER_BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a.length > 0);

export async function startBenchProcess<T>(entry: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<BenchProcess<T>> {
  const child = spawn(process.execPath, ['--enable-source-maps', ...childNodeArgs, '--import', '@swc-node/register/esm-register', entry, ...args], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} ${args.join(' ')}: no ${BENCH_MARKER.trim()} line within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`${entry} ${args.join(' ')} exited with ${code} before it was ready`)));
    lines.on('line', (line) => {
      if (!line.startsWith(BENCH_MARKER)) return void process.stdout.write(`  [${args[0] ?? entry}] ${line}\n`);
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(BENCH_MARKER.length)) as T);
    });
  });
  return { child, ready };
}

/** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
export async function stopBenchProcess(p: { child: ChildProcess }, graceMs = 10_000): Promise<void> {
  const { child } = p;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
