// Numbers out of the benches' printed lines, and the comparison of two runs (issue 13: "no
// regression elsewhere in the bench (±10%)"). The benches print for people; this reads each
// line's label (the text before its first measured number) and every `<number> <unit>` pair
// on it, keyed by the bench, the section (the last line printed without indent, up to a
// parenthesis or colon), the label and the word before the number (p50, p95, total…).
// Rates (…/s) are better higher; times and sizes better lower.

const UNITS = ['events/s', 'rows/s', 'req/s', 'requests/s', 'writes/s', 'decisions/s', 'ops/s', 'M ROI voxels/s', 'ms', 'us', 'µs', 'MB', 'MiB', 'KiB', 's'];
const QUALIFIERS = ['p50', 'p95', 'p99', 'mean', 'median', 'total', 'collect', 'prove', 'render', 'single', 'batch', 'first', 'last'];
const unitPattern = UNITS.map((u) => u.replace(/[/.]/g, (c) => `\\${c}`)).join('|');
const pairPattern = new RegExp(`(?:\\b(${QUALIFIERS.join('|')})\\s+)?(-?\\d[\\d,]*(?:\\.\\d+)?)\\s?(${unitPattern})(?![\\w/])`, 'g');

/** Every metric of a bench's output: key → { value, unit }. */
export function metricsOf(bench, output) {
  const metrics = {};
  let section = '';
  for (const raw of output.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim() || line.startsWith('===')) continue;
    // Targets and baselines named on the line are not measurements of this run.
    const measured = line.replace(/\b(target|baseline|sampled)\b.*$/i, '');
    const pairs = [...measured.matchAll(pairPattern)];
    if (!/^\s/.test(line) && pairs.length === 0) section = line.split(/[(:]/)[0].trim().slice(0, 60);
    if (pairs.length === 0) continue;
    const label = line
      .slice(0, pairs[0].index)
      .replace(/\b(p50|p95|p99|mean|median|total|single)\s*$/, '')
      .trim()
      .replace(/[:=(,]+$/, '')
      .trim();
    // Continuation lines, and the parenthesised asides (durations of the bench itself).
    if (!label || !/[a-z]/i.test(label) || label.startsWith('(')) continue;
    for (const [, qualifier, number, unit] of pairs) {
      let key = `${bench} | ${section} | ${label} | ${qualifier ? `${qualifier} ` : ''}${unit}`;
      for (let n = 2; key in metrics; n++) key = `${bench} | ${section} | ${label} | ${qualifier ? `${qualifier} ` : ''}${unit} #${n}`;
      metrics[key] = { value: Number(number.replace(/,/g, '')), unit };
    }
  }
  return metrics;
}

const higherIsBetter = (unit) => unit.endsWith('/s');

/** Lines comparing `now` with `before` (same keys only); regressions are changes for the worse beyond `tolerance`. */
export function compareMetrics(before, now, tolerance = 0.1) {
  const rows = [];
  for (const [key, m] of Object.entries(now)) {
    const old = before[key];
    if (!old || old.unit !== m.unit || !(old.value > 0) || !(m.value > 0)) continue;
    const ratio = m.value / old.value;
    const better = higherIsBetter(m.unit) ? ratio - 1 : 1 / ratio - 1;
    rows.push({ key, before: old.value, now: m.value, unit: m.unit, ratio, verdict: better < -tolerance ? 'REGRESSED' : better > tolerance ? 'improved' : 'same' });
  }
  return rows;
}

const show = (n) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString());

export function printComparison(rows, tolerance = 0.1, log = console.log) {
  const count = (v) => rows.filter((r) => r.verdict === v).length;
  log(`\n=== compared with the saved run: ${rows.length} metrics in both; within ±${tolerance * 100}%: ${count('same')}, improved: ${count('improved')}, regressed: ${count('REGRESSED')}`);
  for (const r of rows.filter((x) => x.verdict !== 'same').sort((a, b) => a.verdict.localeCompare(b.verdict))) {
    log(`  ${r.verdict.padEnd(9)} ${r.key}: ${show(r.before)} → ${show(r.now)} ${r.unit} (× ${r.ratio.toFixed(2)})`);
  }
}
