import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../../src/core/report/html/analysisHtml';
import { escapeHtml } from '../../../src/core/report/html/escape';
import { REPORT_CSP } from '../../../src/core/report/html/page';
import { renderComparison } from '../../../src/core/report';
import type { Analysis } from '../../../src/core/energy/analysis';
import { HOSTILE_NAME, sampleAnalysis } from './sampleAnalysis';

function withProfileRoof(analysis: Analysis): Analysis {
  return { ...analysis, profile: { ...analysis.profile, roofline: { precision: 'fp32', peakFlopsPerS: 1e12, offChipBytesPerS: 1e11 } } };
}

test('html: one self-contained page under a strict CSP, no script, nothing loaded', () => {
  const html = renderHtml(sampleAnalysis());
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.equal(REPORT_CSP, "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`));
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<link/i);
  // Model strings are escaped, so every '<' left in the page opens one of our own tags.
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    assert.doesNotMatch(tag, /\s(src|href|on[a-z]+)=/i, `tag loads or runs something: ${tag}`);
  }
});

test('html: a layer named like an XSS payload is escaped everywhere it appears', () => {
  const html = renderHtml(withProfileRoof(sampleAnalysis()));
  assert.ok(!html.includes(HOSTILE_NAME));
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  const evil: Analysis = { ...sampleAnalysis(), model: { ...sampleAnalysis().model, path: '"><script>alert(1)</script>' }, warnings: ['</style><script>x</script>'] };
  const page = renderHtml(evil);
  assert.doesNotMatch(page, /<script/i);
  assert.ok(page.includes('&quot;&gt;&lt;script&gt;'));
});

test('html: draws the three charts as inline SVG with every layer in the table', () => {
  const html = renderHtml(withProfileRoof(sampleAnalysis()));
  assert.equal((html.match(/<svg /g) ?? []).length, 4, 'energy by layer, by category, by memory level, roofline');
  assert.match(html, /aria-label="Energy by layer, stacked by category"/);
  assert.match(html, /aria-label="Bytes moved per memory level \(log scale\)"/);
  assert.match(html, /aria-label="Roofline: intensity versus throughput per layer"/);
  assert.match(html, /peak 1 TFLOP\/s fp32/);
  // The Relu has no off-chip traffic: it cannot sit on log axes and the caption says so.
  assert.match(html, /1 layer\(s\) not plotted/);
  assert.equal((html.match(/<circle /g) ?? []).length, 2);
  assert.equal((html.match(/<tr class="hot">/g) ?? []).length, 3);
});

test('html: stacked bars scale with energy (the costliest layer spans the full bar width)', () => {
  const html = renderHtml(sampleAnalysis());
  const chart = html.slice(html.indexOf('aria-label="Energy by layer'), html.indexOf('</svg>', html.indexOf('aria-label="Energy by layer')));
  const widths = [...chart.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="([\d.]+)"/g)].map((m) => ({ y: Number(m[1]), w: Number(m[2]) }));
  const byRow = new Map<number, number>();
  for (const { y, w } of widths) byRow.set(y, (byRow.get(y) ?? 0) + w);
  const rows = [...byRow.values()];
  assert.equal(rows.length, 3);
  assert.ok(Math.abs(rows[0]! - 470) < 0.1, `first bar ${rows[0]}`);
  assert.ok(Math.abs(rows[1]! / rows[0]! - 150 / 800) < 0.01);
});

test('html: output is deterministic', () => {
  assert.equal(renderHtml(sampleAnalysis()), renderHtml(sampleAnalysis()));
});

test('escapeHtml covers the five significant characters and drops control characters', () => {
  assert.equal(escapeHtml(`<a href='x'>"&"</a>\u0001`), '&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;?');
});

test('html comparison: escaped, same CSP, both sides charted', () => {
  const a = sampleAnalysis();
  const b: Analysis = { ...a, profile: { id: 'a100', name: 'NVIDIA A100' }, totals: { ...a.totals, energy: { ...a.totals.energy, totalJ: 5e-4 } } };
  const html = renderComparison(a, b, 'html');
  assert.ok(html.includes(REPORT_CSP));
  assert.ok(!html.includes(HOSTILE_NAME));
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /A: laptop-x86/);
  assert.match(html, /B: a100/);
});
