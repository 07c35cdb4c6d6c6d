import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable } from '../../../src/core/report/table';
import { renderMarkdown } from '../../../src/core/report/markdown';
import { csvCell, renderCsv } from '../../../src/core/report/csv';
import { canonicalize, jsonChunks, renderJson } from '../../../src/core/report/json';
import { hotspotIndices } from '../../../src/core/report/hotspots';
import { checkEnergyBudget } from '../../../src/core/report/budget';
import { HOSTILE_NAME, sampleAnalysis } from './sampleAnalysis';
import type { Analysis } from '../../../src/core/energy/analysis';

test('table: header names the profile, rows use human units, hotspots are marked', () => {
  const out = renderTable(sampleAnalysis());
  const lines = out.split('\n');
  assert.match(lines[0]!, /estimated on Laptop x86, profile laptop-x86, batch 1/);
  const conv = lines.find((l) => l.startsWith('1  conv1'));
  assert.ok(conv, out);
  assert.match(conv, /118 M/);
  assert.match(conv, /800 µJ/);
  assert.match(conv, /250 µs/);
  assert.match(conv, /◀ hotspot$/);
  assert.match(out, /Energy per inference\s+1 mJ/);
  assert.match(out, /MyCustomOp \[com\.example\] ×4: custom_0, custom_1, custom_2, … \(1 more\)/);
  assert.match(out, /Dimension "seq" was not given/);
});

test('table: columns line up (every cell of a column ends at the same offset)', () => {
  const lines = renderTable(sampleAnalysis()).split('\n');
  const header = lines.find((l) => l.startsWith('#  layer'))!;
  const rows = lines.filter((l) => /^\d+ {2}/.test(l));
  const energyEnd = header.indexOf('energy') + 'energy'.length;
  for (const row of rows) {
    // The energy column is right-aligned: its last character sits under the header's last one.
    assert.notEqual(row[energyEnd - 1], ' ', row);
    assert.equal(row[energyEnd], ' ', row);
  }
});

test('table: a layer name with a newline or escape sequence stays on one line without control characters', () => {
  const analysis = sampleAnalysis();
  const evil: Analysis = { ...analysis, layers: [{ ...analysis.layers[0]!, name: 'a\u001b[31mred\nnext' }] };
  const out = renderTable(evil);
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  assert.doesNotMatch(out, /\u001b/);
  assert.ok(out.split('\n').some((l) => l.includes('a?[31mred next')));
});

test('hotspots: costly layers by share, or the top three above 5%', () => {
  assert.deepEqual(hotspotIndices(sampleAnalysis()), [0, 1, 2]);
  const analysis = sampleAnalysis();
  const small = { ...analysis, layers: analysis.layers.map((l, i) => ({ ...l, energyShare: i === 0 ? 0.97 : 0.015 })) };
  assert.deepEqual(hotspotIndices(small), [0]);
});

test('markdown: hostile names cannot break the table or inject HTML', () => {
  const out = renderMarkdown(sampleAnalysis());
  assert.ok(!out.includes(HOSTILE_NAME), 'raw HTML must not reach the Markdown');
  assert.ok(out.includes('\\<img src=x onerror=alert(1)\\>'));
  const layerRows = out.split('\n').filter((l) => /^\| \d/.test(l));
  assert.equal(layerRows.length, 3);
  // Every layer row has the same number of unescaped pipes as the header.
  const header = out.split('\n').find((l) => l.startsWith('| # |'))!;
  const pipes = (l: string): number => (l.match(/(?<!\\)\|/g) ?? []).length;
  for (const row of layerRows) assert.equal(pipes(row), pipes(header), row);
});

test('csv: RFC 4180 quoting, one row per layer, raw SI numbers', () => {
  const out = renderCsv(sampleAnalysis());
  assert.ok(out.endsWith('\r\n'));
  assert.ok(out.includes('"fc, ""final""\nlayer"'), out);
  const records = out.split('\r\n').filter((l) => l.length > 0);
  assert.equal(records.length, 4);
  const header = records[0]!.split(',');
  assert.ok(header.includes('bytes_sram') && header.includes('bytes_dram'));
  const conv = records[1]!.split(',');
  assert.equal(conv[header.indexOf('totalJ')], '0.0008');
  assert.equal(conv[header.indexOf('macs')], '118013952');
  assert.equal(conv[header.indexOf('hotspot')], 'true');
});

test('csv: cells a spreadsheet would run as formulas are defused', () => {
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell(' padded'), '" padded"');
  assert.equal(csvCell(Number.NaN), '');
  assert.equal(csvCell(undefined), '');
});

test('json: the Analysis itself, keys in schema order whatever the input order', () => {
  const analysis = sampleAnalysis();
  const parsed = JSON.parse(renderJson(analysis)) as Analysis;
  assert.deepEqual(parsed, analysis);
  const reversed = Object.fromEntries(Object.entries(analysis).reverse());
  assert.equal(renderJson(reversed), renderJson(analysis));
  assert.deepEqual(Object.keys(parsed), ['kind', 'model', 'profile', 'settings', 'totals', 'layers', 'unknownOps', 'warnings']);
  assert.deepEqual(Object.keys(parsed.layers[0]!).slice(0, 4), ['name', 'opType', 'domain', 'macs']);
  assert.deepEqual(Object.keys(parsed.totals.energy), ['computeJ', 'onChipJ', 'offChipJ', 'staticJ', 'totalJ']);
});

test('json: non-finite numbers become null; fields added later come after the known ones', () => {
  const analysis = sampleAnalysis();
  const extended = { zeta: 1, ...analysis, alpha: 2, layers: [{ ...analysis.layers[0]!, intensity: Number.POSITIVE_INFINITY }] };
  const keys = Object.keys(JSON.parse(renderJson(extended)) as object);
  assert.deepEqual(keys.slice(-2), ['alpha', 'zeta']);
  assert.match(renderJson(extended), /"intensity": null/);
});

test('json: streamed in pieces, the text is exactly JSON.stringify of the canonical copy', () => {
  const analysis = sampleAnalysis();
  const odd = { ...analysis.layers[0]!, outputShapes: [[1, undefined, 'seq'], []], note: 'tab\there "quoted" \u2028 é', extra: {} };
  const many = { ...analysis, layers: Array.from({ length: 3000 }, (_, i) => ({ ...odd, name: `layer ${i}` })), unknownOps: [] };
  const reference = `${JSON.stringify(canonicalize(many), null, 2)}\n`;
  const pieces = [...jsonChunks(many)];
  assert.ok(pieces.length > 1, 'a long layer list comes in several pieces');
  assert.equal(pieces.join(''), reference);
  assert.equal(renderJson(many), reference);
  const extras = { serving: { requestsPerS: 2, energyJ: Number.NaN }, training: undefined, advice: [{ b: 1, a: [] }] };
  assert.equal([...jsonChunks(analysis, extras)].join(''), `${JSON.stringify({ ...(JSON.parse(renderJson(analysis)) as object), ...extras }, null, 2)}\n`);
});

test('budget: within passes, over fails naming the costliest layers', () => {
  const analysis = sampleAnalysis();
  const within = checkEnergyBudget(analysis, 1.5);
  assert.equal(within.withinBudget, true);
  assert.match(within.message, /1 mJ, within the budget of 1.5 mJ/);
  const over = checkEnergyBudget(analysis, 0.8);
  assert.equal(over.withinBudget, false);
  assert.match(over.message, /over the budget of 0.8 mJ by 25.0%/);
  assert.match(checkEnergyBudget(analysis, 0.1).message, /over the budget of 0.1 mJ at 10.0× the budget/);
  assert.match(over.message, /Costliest layers: conv1 \(Conv, 0.8 mJ, 80.0%\)/);
  assert.equal(checkEnergyBudget(analysis, 1).withinBudget, true, 'exactly at the budget passes');
});
