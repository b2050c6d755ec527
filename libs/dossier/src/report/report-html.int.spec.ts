import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { exportDossier, DOSSIER_FILES } from '@radledger/dossier';
import { buildDossierFixture, type DossierFixture } from '../testing/dossier-fixture.js';
import { launchTestBrowser } from '../testing/test-browser.js';

let fx: DossierFixture;
let work: string;
let browser: Browser;

before(async () => {
  fx = await buildDossierFixture();
  work = mkdtempSync(join(tmpdir(), 'radledger-dossier-report-'));
  await exportDossier({ store: fx.store, signer: fx.signer, radledgerVersion: 'test', reproducibility: fx.reproducibility }, { trialId: fx.trialId, out: join(work, 'bundle') });
  // Never skips: without /usr/bin/chromium it drives the Chromium shipped in @sparticuz/chromium.
  const launched = await launchTestBrowser();
  browser = launched.browser;
  console.log(`report test browser: ${launched.source} (${launched.executablePath})`);
});

after(async () => {
  await browser?.close();
  await fx?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('report.html renders offline in headless Chromium: lineage picture, tables, no console errors, no network; screenshot written', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(90_000);
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(join(work, 'bundle', DOSSIER_FILES.report)).href;
  await page.goto(url, { waitUntil: 'load' });

  const svg = page.locator('svg#lineage-graph');
  assert.equal(await svg.count(), 1);
  const box = await svg.boundingBox();
  assert.ok(box && box.width > 400 && box.height > 100, `the lineage picture has a size: ${JSON.stringify(box)}`);
  const nodeCount = await page.locator('svg#lineage-graph g.node').count();
  const edgeCount = await page.locator('svg#lineage-graph path.edge').count();
  assert.ok(nodeCount >= 20, `lineage nodes drawn: ${nodeCount}`);
  assert.ok(edgeCount >= nodeCount - 5, `lineage edges drawn: ${edgeCount}`);
  for (const type of ['image', 'mask-version', 'feature-set', 'model-version', 'decision', 'signature']) {
    assert.ok((await page.locator(`svg#lineage-graph g.node[data-type="${type}"]`).count()) > 0, `a ${type} node is drawn`);
  }
  // The layout never stacks two boxes on top of each other.
  const rects = await page.$$eval('svg#lineage-graph g.node rect', (els) => els.map((e) => (e as unknown as { getBBox(): { x: number; y: number; width: number; height: number } }).getBBox()).map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height })));
  for (let i = 0; i < rects.length; i++)
    for (let j = i + 1; j < rects.length; j++) {
      const [a, b] = [rects[i]!, rects[j]!];
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.ok(!overlap, `nodes ${i} and ${j} overlap`);
    }

  const rows = async (id: string) => page.locator(`#table-${id} tbody tr`).count();
  assert.equal(await rows('acquisitions'), 3);
  assert.equal(await rows('protocol-deviations'), 2);
  assert.equal(await rows('segmentation-edits'), 4);
  assert.equal(await rows('feature-settings'), 2);
  assert.equal(await rows('model-versions'), 3);
  assert.equal(await rows('decisions'), 3);
  const signatures = await page.locator('#table-signatures').innerText();
  for (const text of ['Dr. A. Neuro', 'R. Reviewer', 'approved', 'responsible']) assert.ok(signatures.includes(text), `signature table shows ${text}`);
  assert.match(await page.locator('#table-decisions').innerText(), /IDH-wildtype \(Molecular pathology result available\)/);
  // Every checklist item is listed with its evidence or why it is left for people (issue 15).
  const checklists = JSON.parse(readFileSync(join(work, 'bundle', DOSSIER_FILES.checklists), 'utf8')) as { items: Array<{ guideline: string; item: string; status: string; why?: string }> };
  const listed = await page.$$eval('table[id^="table-checklist-"] tbody tr', (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td as unknown as { innerText: string }).innerText)));
  assert.equal(listed.length, checklists.items.length);
  checklists.items.forEach((item, k) => {
    assert.equal(listed[k]![0], item.item);
    if (item.status === 'for-people') assert.equal(listed[k]![5], item.why);
    else assert.ok(listed[k]![3]!.length > 0, `${item.guideline} ${item.item} shows its evidence`);
  });
  assert.match(await page.locator('#checklist-rqs + p').innerText(), /RQS from the ledger: 9 of 36/);
  // Site names are event data: escaped, never markup.
  assert.equal(await page.locator('#table-acquisitions script, #table-acquisitions uni').count(), 0);

  assert.deepEqual(problems, [], 'no console errors or warnings');
  assert.deepEqual(requests.filter((r) => r !== url), [], 'the report loads nothing but itself');

  const shots = mkdtempSync(join(tmpdir(), 'radledger-dossier-screenshot-'));
  const path = join(shots, 'report.png');
  await page.screenshot({ path, fullPage: true });
  assert.ok(existsSync(path));
  // Kept on purpose so a reviewer can look at it.
  console.log(`report screenshot: ${path}`);
});
