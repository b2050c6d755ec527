/**
 * The headless Chromium the browser tests drive, with nothing but npm: @sparticuz/chromium
 * ships a Chromium build inside its npm package (decompressed to the temp dir on first use);
 * a system Chromium at /usr/bin/chromium is used instead when present (faster start, no
 * decompression). RADLEDGER_TEST_BROWSER=bundled forces the npm one (how the tests are checked
 * on a machine that has a system Chromium), =system forces /usr/bin/chromium, any other value
 * is taken as an executable path.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for a test browser: no network of its own (updates, sync, pings), no GPU. */
const QUIET = ['--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check', '--no-pings'];

/**
 * @sparticuz/chromium's own flags relax the same-origin policy and mixed content
 * (`--disable-web-security`, `--allow-running-insecure-content`) for its serverless users;
 * a test that checks what a page may load must run with the browser's normal rules. Its
 * `--single-process` makes closing one browser context end the whole browser.
 */
const RELAXING = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process']);

export interface TestBrowser {
  browser: Browser;
  /** 'system' (/usr/bin/chromium or the given path) or 'bundled' (@sparticuz/chromium). */
  source: 'system' | 'bundled';
  executablePath: string;
}

export async function launchTestBrowser(choice = process.env['RADLEDGER_TEST_BROWSER']): Promise<TestBrowser> {
  if (choice === 'bundled' || (choice === undefined && !existsSync(SYSTEM_CHROMIUM))) {
    const bundled = (await import('@sparticuz/chromium')).default;
    const executablePath = await extractOnce(() => bundled.executablePath());
    const args = bundled.args.filter((a) => !RELAXING.has(a));
    const browser = await chromium.launch({ executablePath, args: [...args, '--headless'], headless: true });
    return { browser, source: 'bundled', executablePath };
  }
  const executablePath = choice === undefined || choice === 'system' ? SYSTEM_CHROMIUM : choice;
  if (!existsSync(executablePath)) throw new Error(`RADLEDGER_TEST_BROWSER: no Chromium at ${executablePath}`);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', ...QUIET] });
  return { browser, source: 'system', executablePath };
}

/**
 * @sparticuz/chromium decompresses into the temp dir and takes an existing /tmp/chromium as
 * done: two test processes starting together (node --test runs files in parallel) would launch
 * a half-written binary. One process extracts under a lock directory and leaves a marker; an
 * extraction cut short (no marker) is removed and redone.
 */
async function extractOnce(extract: () => Promise<string>): Promise<string> {
  const lock = join(tmpdir(), 'radledger-chromium.lock');
  const marker = join(tmpdir(), 'radledger-chromium.extracted');
  if (existsSync(marker) && existsSync(readFileSync(marker, 'utf8'))) return readFileSync(marker, 'utf8');
  for (let waited = 0; ; waited += 100) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // the holder has not written its pid yet
      }
      if (Number.isInteger(holder) && !isAlive(holder)) rmSync(lock, { recursive: true, force: true });
      else if (waited > 120_000) throw new Error(`test browser: ${lock} held for over two minutes (remove it if no test is running)`);
      else await delay(100);
    }
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    if (existsSync(marker) && existsSync(readFileSync(marker, 'utf8'))) return readFileSync(marker, 'utf8');
    rmSync(join(tmpdir(), 'chromium'), { force: true });
    const path = await extract();
    writeFileSync(marker, path);
    return path;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
