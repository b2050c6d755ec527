/**
 * The web console in a real browser (playwright-core; /usr/bin/chromium or the Chromium shipped
 * in @sparticuz/chromium), against a real API on the demo trial: each user's journey (sign in,
 * open the page, act, see the result) with zero console errors, no request to any host but the
 * API, and axe-core finding no serious or critical accessibility violation on any page.
 * Timings (first load, a 1,000-node lineage graph) are printed, never asserted.
 * RADLEDGER_UPDATE_SCREENSHOTS=1 writes the screenshots the README shows into docs/screenshots.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Server } from 'node:http';
import { parse, validate } from 'graphql';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ProjectionRunner } from '@radledger/projections';
import { launchTestBrowser } from '../../../../libs/dossier/src/testing/test-browser.js';
import { buildConsole } from '../../../../scripts/build-console.mjs';
import { CONSOLE_DOCUMENTS } from '../../../console/src/api/documents.js';
import { startTestApi, type TestApi } from '../testing/api-test-harness.js';
import { ensureDemoPasswords, loadDemoOnStartup, type DemoSignIn } from '../demo/demo-startup.js';
import { serveConsole } from './console-static.js';

/** The little of the DOM the page functions below use (this file compiles without lib "dom"). */
interface PageElement {
  textContent: string | null;
}
declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> };

const SHOTS = process.env['RADLEDGER_UPDATE_SCREENSHOTS'] === '1' ? join(process.cwd(), 'docs', 'screenshots') : mkdtempSync(join(tmpdir(), 'radledger-console-shots-'));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let api: TestApi;
let base: string;
let browser: Browser;
let users: Map<string, DemoSignIn>;

before(async () => {
  const built = await buildConsole();
  console.log(built.built ? `console built in ${built.ms} ms` : 'console build up to date');
  api = await startTestApi('sqlite', { RADLEDGER_DEMO: 'true' });
  await loadDemoOnStartup(api.app, api.config, () => undefined);
  // The development start-up gives the demo users their passwords; this API runs as NODE_ENV=test.
  users = new Map((await ensureDemoPasswords(api.application, { ...api.config, development: true })).map((u) => [u.role, u]));
  await api.app.get(ProjectionRunner).caughtUp();
  await api.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  const launched = await launchTestBrowser();
  browser = launched.browser;
  console.log(`console test browser: ${launched.source} (${launched.executablePath}), ${browser.version()}`);
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await api?.close();
});

interface Watched {
  context: BrowserContext;
  page: Page;
  problems: string[];
  foreign: string[];
}

/** A fresh browser session that records console errors/warnings, page errors, failed requests and any request off the API's origin. */
async function open(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  // Waits are for things to appear, not timings: a loaded CI machine (scrypt on a signature, a
  // dossier export beside the other suites) must not turn slowness into a failure.
  page.setDefaultTimeout(90_000);
  const problems: string[] = [];
  const foreign: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${base}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  return { context, page, problems, foreign };
}

async function signIn(w: Watched, role: string): Promise<void> {
  const user = users.get(role);
  assert.ok(user, `a demo ${role} user with a password`);
  await w.page.goto(`${base}/`);
  await w.page.getByLabel('User id').fill(user.userId);
  await w.page.getByLabel('Password').fill(user.password);
  await w.page.getByRole('button', { name: 'Sign in' }).click();
  await w.page.getByTestId('signed-in-as').waitFor();
  assert.match(await w.page.getByTestId('signed-in-as').innerText(), new RegExp(user.printedName));
}

/** axe-core (WCAG 2.x A/AA rules) on the page as it is: no serious or critical violation. */
async function axe(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays in force for the page itself.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run;
    const r = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${name}: axe-core serious/critical violations`);
  if (result.length > 0) console.log(`${name}: axe-core minor/moderate findings: ${result.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
}

async function finish(w: Watched, name: string): Promise<void> {
  await w.page.screenshot({ path: join(SHOTS, `console-${name}.png`), fullPage: true });
  assert.deepEqual(w.problems, [], `${name}: no console errors or warnings, no failed request`);
  assert.deepEqual(w.foreign, [], `${name}: no request to any host but the API`);
  await w.context.close();
}

describe('web console served by the API', () => {
  test('every document the console sends is valid against the running server schema', () => {
    const schema = api.app.get(GraphQLSchemaHost).schema;
    for (const [name, text] of Object.entries(CONSOLE_DOCUMENTS)) assert.deepEqual(validate(schema, parse(text)).map((e) => e.message), [], name);
  });

  test('first load: the sign-in page, with axe-core clean; the timing is printed', async () => {
    const w = await open();
    const started = Date.now();
    await w.page.goto(`${base}/`);
    await w.page.getByRole('button', { name: 'Sign in' }).waitFor();
    const wall = Date.now() - started;
    const nav = await w.page.evaluate(() => {
      const [n] = performance.getEntries().filter((e) => String(e.entryType) === 'navigation') as unknown as Array<{ domContentLoadedEventEnd: number; loadEventEnd: number; transferSize: number }>;
      return n ? { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, transferSize: n.transferSize } : undefined;
    });
    const bytes = await w.page.evaluate(() => (performance.getEntries().filter((e) => String(e.entryType) === 'resource') as unknown as Array<{ encodedBodySize: number }>).reduce((s, r) => s + r.encodedBodySize, 0));
    console.log(`console first load on loopback: sign-in form usable after ${wall} ms (DOMContentLoaded ${nav?.domContentLoaded.toFixed(0)} ms, load ${nav?.load.toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB of assets)`);
    await axe(w.page, 'sign-in');
    // A wrong password: a typed error in the page, no session.
    await w.page.getByLabel('User id').fill('demo-monitor');
    await w.page.getByLabel('Password').fill('not-the-password-1234');
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    await w.page.getByRole('alert').waitFor();
    assert.match(await w.page.getByRole('alert').innerText(), /UNAUTHENTICATED/);
    await finish(w, 'signin');
  });

  test('monitor: compliance per site and model version, the lock timeline, protocol deviations; narrows to one site', async () => {
    const w = await open();
    await signIn(w, 'monitor');
    await w.page.getByTestId('compliance-summary').waitFor();
    const summary = await w.page.getByTestId('compliance-summary').innerText();
    // As many as the demo recorded (its size changes with the demo, issue 15 added sites and readers).
    const decisions = (await api.application.runtime.store.readAll(0, 100_000)).filter((e) => e.type === 'ModelDecisionMade').length;
    assert.ok(decisions > 0);
    assert.match(summary, new RegExp(`${decisions}\\s+decisions`));
    assert.match(summary, new RegExp(`${decisions}\\s+from the locked version \\(100\\.0 %\\)`));
    await w.page.locator('[data-testid=lock-timeline] li').nth(2).waitFor();
    assert.match(await w.page.getByTestId('lock-timeline').innerText(), /idh-logreg@2 locked by demo-regulatory supersedes 1/);
    await w.page.locator('[data-testid=protocol-deviations] tbody tr').first().waitFor();
    assert.match(await w.page.getByTestId('protocol-deviations').innerText(), /SITE-TYO\s+GRA-TYO-003/);
    await axe(w.page, 'monitor');
    // Live alerts (graphql-ws): an acquisition outside the protocol recorded now appears without a reload.
    await w.page.waitForFunction(() => document.querySelector('[data-testid=alerts-state]')?.textContent === 'live');
    const events = await api.application.runtime.store.readAll(0, 1000);
    const enrolled = events.find((e) => e.type === 'SubjectEnrolled' && (e.data as { siteId: string }).siteId === 'SITE-BER')!.data as { subjectId: string };
    const image = events.find((e) => e.type === 'ImageAcquired')!.data as { artifactSha256: string };
    const operator = await api.tokenFor('console-operator-ber', [{ role: 'site-operator', trialId: 'GLIO-RAD-01', siteId: 'SITE-BER' }]);
    const acquired = await api.graphql(operator, 'mutation ($input: AcquireImageInput!) { acquireImage(input: $input) { streamId } }', {
      input: { trialId: 'GLIO-RAD-01', siteId: 'SITE-BER', subjectId: enrolled.subjectId, modality: 'T1c', scanner: { vendor: 'Siemens', model: 'MAGNETOM Prisma' }, fieldStrengthT: 3, trMs: 2400, teMs: 9, sliceThicknessMm: 2, contrast: { agent: 'gadobutrol 0.1 mmol/kg', injectionRateMlPerS: 3, delayS: 90 }, artifactSha256: image.artifactSha256 },
    });
    assert.equal(acquired.errors, undefined, JSON.stringify(acquired.errors));
    await w.page.locator('[data-testid=live-alerts] li', { hasText: 'Protocol deviation' }).waitFor();
    assert.match(await w.page.getByTestId('live-alerts').innerText(), /Protocol deviation · SITE-BER — Acquisition .* outside protocol GLIO-RAD-01-T1C-v1: trMs 2400 ms/);
    await w.page.screenshot({ path: join(SHOTS, 'console-monitor.png'), fullPage: true });
    await w.page.getByRole('combobox', { name: /^Site/ }).selectOption('SITE-TYO');
    await w.page.getByRole('heading', { name: 'SITE-TYO' }).waitFor();
    await w.page.waitForFunction(() => /^8\s/.test(document.querySelector('[data-testid=compliance-summary]')?.textContent ?? ''));
    assert.equal(await w.page.locator('[data-testid=compliance-table] tbody tr').count(), 2);
    await finish(w, 'monitor-site');
  });

  test('QA: lineage graph of a decision, focus on a node, change depth, export CSV; audit trail filtered by subject and paged', async () => {
    const w = await open();
    await signIn(w, 'qa');
    await w.page.getByTestId('lineage-draw-ms').waitFor();
    const summary = await w.page.getByTestId('lineage-summary').innerText();
    const nodes = Number(/^(\d+) nodes/.exec(summary)?.[1]);
    assert.ok(nodes > 10, summary);
    assert.match(summary, /complete/);
    await axe(w.page, 'lineage');
    // Select the model version in the node table and focus on it: downstream shows its decisions.
    await w.page.getByText('Nodes as a table').click();
    await w.page.locator('[data-testid=lineage-table] tr', { hasText: 'model-version' }).first().getByRole('button').click();
    await w.page.getByRole('button', { name: 'Focus on this node' }).click();
    await w.page.getByLabel('Direction').selectOption('DOWNSTREAM');
    await w.page.waitForFunction(() => /decision \d+/.test(document.querySelector('[data-testid=lineage-summary]')?.textContent ?? ''));
    const downstream = await w.page.getByTestId('lineage-summary').innerText();
    assert.match(downstream, /decision \d+/);
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.match(csv, /^record,id,type_or_relation,kind,label,depth,from,to/);
    assert.ok(csv.split('\r\n').filter((l) => l.startsWith('node,')).length >= 2, 'nodes in the CSV');
    // PROV export of the same walk (W3C PROV-O, JSON-LD).
    const [prov] = await Promise.all([w.page.waitForEvent('download'), w.page.getByRole('button', { name: 'Export PROV' }).click()]);
    const provDoc = JSON.parse(readFileSync((await prov.path())!, 'utf8')) as Record<string, unknown>;
    assert.ok('@context' in provDoc, 'a JSON-LD document');
    // Compared with the ledger as it was at the first decision: the later decisions are new.
    const firstDecision = (await api.application.runtime.store.readAll(0, 2000)).find((e) => e.type === 'ModelDecisionMade')!;
    await w.page.getByLabel('Compare with ledger position').fill(String(firstDecision.globalPosition));
    await w.page.getByRole('button', { name: 'Compare' }).click();
    await w.page.getByTestId('lineage-diff').waitFor();
    const added = Number(/: (\d+) nodes added/.exec(await w.page.getByTestId('lineage-diff').innerText())?.[1]);
    assert.ok(added > 0, `nodes added since position ${firstDecision.globalPosition}: ${added}`);
    // The asOf slider: let go at the first decision's position and the graph is the one of then.
    const nowCount = Number(/^(\d+) nodes/.exec(await w.page.getByTestId('lineage-summary').innerText())?.[1]);
    // (Runs in the page: the DOM's own classes, as React sees a user's drag.)
    await w.page.getByTestId('as-of-slider').evaluate((el, position) => {
      const page = globalThis as unknown as { HTMLInputElement: { prototype: object }; Event: new (type: string, init: object) => unknown; PointerEvent: new (type: string, init: object) => unknown };
      const input = el as unknown as { dispatchEvent(e: unknown): boolean };
      Object.getOwnPropertyDescriptor(page.HTMLInputElement.prototype, 'value')!.set!.call(input, String(position));
      input.dispatchEvent(new page.Event('input', { bubbles: true }));
      input.dispatchEvent(new page.PointerEvent('pointerup', { bubbles: true }));
    }, Number(firstDecision.globalPosition));
    await w.page.waitForFunction((p) => (document.querySelector('[data-testid=lineage-summary]')?.textContent ?? '').includes(`as of ledger position ${p}`), Number(firstDecision.globalPosition));
    const thenCount = Number(/^(\d+) nodes/.exec(await w.page.getByTestId('lineage-summary').innerText())?.[1]);
    assert.ok(thenCount > 0 && thenCount <= nowCount, `as of position ${firstDecision.globalPosition}: ${thenCount} nodes, now ${nowCount}`);
    await w.page.screenshot({ path: join(SHOTS, 'console-lineage.png'), fullPage: true });

    await w.page.getByRole('link', { name: 'Audit trail' }).click();
    await w.page.locator('[data-testid=audit-table] tbody tr').first().waitFor();
    assert.equal(await w.page.locator('[data-testid=audit-table] tbody tr').count(), 25);
    await w.page.getByRole('button', { name: 'Next page' }).click();
    await w.page.getByText('Page 2').waitFor();
    await w.page.getByLabel('Subject').fill('GRA-BER-001');
    await w.page.getByRole('button', { name: 'Apply filters' }).click();
    await w.page.getByText('Page 1').waitFor();
    await w.page.waitForFunction(() => [...document.querySelectorAll('[data-testid=audit-table] tbody tr')].length > 0 && [...document.querySelectorAll('[data-testid=audit-table] tbody tr td:nth-child(6)')].every((td) => td.textContent?.includes('GRA-BER-001')));
    await axe(w.page, 'audit trail');
    await finish(w, 'audit');
  });

  test('regulatory: exports the dossier, sees the PASS verdict and every check, downloads the zip through its expiring link', async () => {
    const w = await open();
    await signIn(w, 'regulatory');
    await w.page.getByRole('heading', { name: 'Regulatory dossier' }).waitFor();
    await w.page.locator('[data-testid=lock-cards] article').nth(2).waitFor();
    await w.page.getByRole('button', { name: /Export dossier of GLIO-RAD-01/ }).click();
    await w.page.getByTestId('dossier-verdict').waitFor({ timeout: 120_000 });
    assert.equal(await w.page.getByTestId('dossier-verdict').innerText(), 'PASS');
    const checks = await w.page.locator('[data-testid=dossier-checks] tbody tr').allInnerTexts();
    assert.ok(checks.length >= 8, `checks listed: ${checks.length}`);
    for (const row of checks) assert.match(row, /PASS|WARN/);
    // Every checklist item with its evidence, grouped by checklist with counts.
    await w.page.getByTestId('dossier-checklists').waitFor();
    const totals = await w.page.getByTestId('checklist-totals').innerText();
    const [, all, filled, people] = /^(\d+) items: (\d+) with evidence from the ledger, (\d+) left for people/.exec(totals) ?? [];
    assert.ok(Number(filled) > 0 && Number(people) > 0 && Number(filled) + Number(people) === Number(all), totals);
    for (const checklist of ['tripod-ai', 'claim-2024', 'metrics', 'clear', 'rqs', 'probast-ai']) {
      const group = w.page.getByTestId(`checklist-${checklist}`);
      const rows = await group.locator('tbody tr').count();
      assert.ok(rows >= 1, `${checklist}: items listed`);
      const [, withEvidence, forPeople] = /(\d+) with evidence, (\d+) left for people/.exec(await group.getByTestId('checklist-counts').innerText()) ?? [];
      assert.equal(Number(withEvidence) + Number(forPeople), rows, `${checklist}: the counts add up to the rows`);
      assert.equal(await group.locator('tbody tr[data-status=filled-from-ledger]').count(), Number(withEvidence));
      const evidence = await group.locator('tbody tr[data-status=filled-from-ledger] code.evidence').first().innerText();
      assert.ok(evidence.trim().length > 0, `${checklist}: evidence text shown`);
    }
    assert.match(await w.page.getByTestId('checklist-claim-2024').innerText(), /manual-contour-editor 2\.4/);
    await axe(w.page, 'regulatory');
    const [download] = await Promise.all([w.page.waitForEvent('download'), w.page.getByTestId('dossier-download').click()]);
    const zip = readFileSync((await download.path())!);
    assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK');
    const shown = await w.page.getByTestId('dossier-result').locator('code.hash').first().getAttribute('title');
    assert.equal(createHash('sha256').update(zip).digest('hex'), shown);
    await finish(w, 'regulatory');
  });

  test('QA: runs a saved audit review, completes it, signs it with the password re-entered, and sees it listed with its signature', async () => {
    const w = await open();
    await signIn(w, 'qa');
    const qa = users.get('qa')!;
    await w.page.getByRole('link', { name: 'Audit reviews' }).click();
    await w.page.getByRole('heading', { name: 'Audit reviews' }).waitFor();
    await w.page.getByLabel('Saved query').selectOption('editsAfterLock');
    await w.page.getByRole('button', { name: 'Run query' }).click();
    await w.page.getByTestId('review-result').waitFor();
    const token = await api.tokenFor('qa-check', [{ role: 'qa', trialId: 'GLIO-RAD-01' }]);
    const server = await api.graphql<{ editsAfterLock: { resultSha256: string; rows: unknown[] } }>(token, '{ editsAfterLock(trialId: "GLIO-RAD-01") { resultSha256 rows { eventId } } }');
    assert.equal(Number(await w.page.getByTestId('review-row-count').innerText()), server.data!.editsAfterLock.rows.length);
    assert.equal(await w.page.getByTestId('review-result').locator('code.hash').first().getAttribute('title'), server.data!.editsAfterLock.resultSha256);
    await axe(w.page, 'audit reviews');
    const conclusion = `Edits after lock reviewed in the console test ${Date.now()}: each has its reason.`;
    await w.page.getByLabel('Conclusion').fill(conclusion);
    // A mistyped password: the review is recorded, the signature refused with a typed error; signing again signs it.
    await w.page.getByLabel(/Your password/).fill('not-the-password-1234');
    await w.page.getByRole('button', { name: 'Complete and sign review' }).click();
    await w.page.getByRole('alert').waitFor();
    assert.match(await w.page.getByRole('alert').innerText(), /^UNAUTHENTICATED: credentials\.password/);
    await w.page.getByText(/The review is recorded \(event .*\) but not yet signed/).waitFor();
    assert.match(await w.page.getByTestId('signed-in-as').innerText(), new RegExp(qa.printedName), 'still signed in');
    await w.page.getByLabel(/Your password/).fill(qa.password);
    await w.page.getByRole('button', { name: 'Sign the recorded review' }).click();
    await w.page.getByTestId('review-done').waitFor();
    const row = w.page.locator('[data-testid=completed-reviews] tbody tr', { hasText: conclusion });
    await row.locator('li').first().waitFor();
    const listed = await row.innerText();
    assert.match(listed, /editsAfterLock/);
    assert.match(listed, new RegExp(`reviewed — ${qa.printedName}`));
    assert.equal(await row.locator('li').count(), 1, 'signed once');
    const reviews = await api.graphql<{ completedAuditReviews: Array<{ conclusion: string; resultSha256: string; signatures: Array<{ meaning: string; signerId: string }> }> }>(token, '{ completedAuditReviews(trialId: "GLIO-RAD-01") { conclusion resultSha256 signatures { meaning signerId } } }');
    const recorded = reviews.data!.completedAuditReviews.find((r) => r.conclusion === conclusion)!;
    assert.equal(recorded.resultSha256, server.data!.editsAfterLock.resultSha256);
    assert.deepEqual(recorded.signatures.map((s) => `${s.meaning} ${s.signerId}`), [`reviewed ${qa.userId}`]);
    await axe(w.page, 'audit reviews signed');
    await finish(w, 'audit-reviews');
  });

  test('everyone: ledger status and checkpoint; the inclusion proof of an event checked offline in the browser', async () => {
    const w = await open();
    await signIn(w, 'qa');
    await w.page.getByRole('link', { name: 'Ledger' }).click();
    await w.page.getByTestId('ledger-size').waitFor();
    assert.ok(Number(await w.page.getByTestId('ledger-size').innerText()) > 100);
    await w.page.locator('button.chip').first().click();
    await w.page.getByTestId('offline-check').waitFor();
    const verdicts = await w.page.getByTestId('offline-check').innerText();
    assert.match(verdicts, /Leaf hash from the event's bytes: PASS/);
    assert.match(verdicts, /Root from the audit path: PASS/);
    assert.doesNotMatch(verdicts, /FAIL/);
    await axe(w.page, 'ledger');
    await finish(w, 'ledger');
  });

  test('a 1,000-node lineage graph is laid out and drawn; the time is printed', async () => {
    const w = await open();
    await signIn(w, 'qa');
    const n = 1000;
    const at = { eventId: '00000000-0000-7000-8000-000000000000', globalPosition: 1, recordedAt: '2026-01-01T00:00:00.000Z' };
    const types = ['decision', 'feature-set', 'mask-version', 'image', 'model-version'];
    const nodes = Array.from({ length: n }, (_, i) => ({ id: `node:${i}`, type: types[i % types.length], kind: 'entity', label: `node ${i}`, depth: Math.floor(Math.log2(i + 1)), refId: null, trialId: 'GLIO-RAD-01', siteId: null, subjectId: null, createdBy: at }));
    const edges = Array.from({ length: n - 1 }, (_, k) => ({ id: `edge:${k}`, from: `node:${k + 1}`, to: `node:${Math.floor(k / 2)}`, relation: 'wasDerivedFrom', role: null }));
    // The API's own answer is replaced by a synthetic graph of the same shape (the demo's graphs are small).
    await w.page.route(`${base}/graphql`, async (route) => {
      if (!(route.request().postData() ?? '').includes('ConsoleLineage')) return route.continue();
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ data: { lineage: { complete: true, asOfPosition: 1, truncatedAtDepth: null, unresolvedNodeIds: [], root: { id: 'node:0' }, nodes, edges } } }) });
    });
    await w.page.goto(`${base}/#/qa/lineage?id=node:0`);
    await w.page.waitForFunction(() => /^1000 nodes/.test(document.querySelector('[data-testid=lineage-summary]')?.textContent ?? ''));
    const ms = Number(await w.page.getByTestId('lineage-draw-ms').getAttribute('data-ms'));
    console.log(`lineage graph of ${n} nodes and ${n - 1} edges: laid out (breadthfirst) and first frame drawn in ${ms.toFixed(0)} ms`);
    assert.ok(Number.isFinite(ms));
    await finish(w, 'lineage-1000');
  });
});

describe('GraphiQL in development, served from dist/console', () => {
  let server: Server;
  let url: string;
  before(async () => {
    // The API serves /graphiql only with NODE_ENV=development; the same serveConsole on a bare
    // server, with /graphql passed to the test API, keeps this test from writing the SDL.
    const app = express();
    app.use(express.json());
    app.post('/graphql', async (req, res) => {
      const answer = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) }, body: JSON.stringify(req.body) });
      res.status(answer.status).type('application/json').send(await answer.text());
    });
    serveConsole(app as never, { ...api.config, development: true });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('opens, runs a query against the API, loads nothing from another host', async () => {
    const context = await browser.newContext({ viewport: { width: 1300, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    const problems: string[] = [];
    const foreign: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('request', (r) => !r.url().startsWith(url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && foreign.push(r.url()));
    await page.goto(`${url}/graphiql`);
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ ledgerStatus { size } }');
    const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('ledgerStatus'));
    await page.locator('.graphiql-execute-button').click();
    await answered;
    await page.waitForFunction(() => (document.querySelector('.result-window')?.textContent ?? '').includes('"errors"') || (document.querySelector('.result-window')?.textContent ?? '').includes('"size"'));
    assert.match((await page.locator('.result-window').innerText()).replace(/\s+/g, ' '), /"code": "UNAUTHENTICATED"|"size"/);
    assert.deepEqual(foreign, [], 'GraphiQL loads nothing from another host');
    assert.deepEqual(problems.filter((p) => !/status of 40\d/.test(p)), []);
    await page.screenshot({ path: join(SHOTS, 'graphiql.png') });
    await context.close();
  });
});
