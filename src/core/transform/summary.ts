/** Plain-text summary of a transform result, shared by the CLI and the extension's messages. */
import type { TransformResult } from './types';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

export function formatTransformSummary(r: TransformResult): string {
  const v = r.verification;
  const transformed = r.decisions.filter((d) => d.action === 'transformed').length;
  const skipped = r.decisions.filter((d) => d.action === 'skipped');
  const lines = [
    `${r.label}: wrote ${r.output}`,
    `  layers transformed: ${transformed}, skipped: ${skipped.length}`,
    `  verification (onnxruntime CPU, ${v.samples} ${v.inputs === 'user data' ? 'input sets from your data' : 'generated input sets: agreement with the original, not accuracy'}): cosine ${v.cosine.toFixed(5)}, max abs error ${v.maxAbsError.toExponential(3)}` +
      (v.top1Agreement !== undefined ? `, top-1 agreement ${(v.top1Agreement * 100).toFixed(1)}%` : ''),
    `  file size: ${bytes(v.fileBytes.before)} -> ${bytes(v.fileBytes.after)} (${(v.fileBytes.ratio * 100).toFixed(1)}%)`,
  ];
  if (v.accuracy) {
    const a = v.accuracy;
    const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
    lines.push(`  accuracy on your labelled data (measured, ${a.rows} rows): top-1 ${pct(a.top1.before)} -> ${pct(a.top1.after)}` +
      (a.top5 ? `, top-5 ${pct(a.top5.before)} -> ${pct(a.top5.after)}` : ''));
  }
  if (v.macs) lines.push(`  MACs per inference: ${count(v.macs.before)} -> ${count(v.macs.after)} (${(v.macs.ratio * 100).toFixed(1)}%)`);
  if (v.latencyMs) {
    const word = v.latencyMs.speedup >= 1 ? `${v.latencyMs.speedup.toFixed(2)}x faster` : `${(1 / v.latencyMs.speedup).toFixed(2)}x SLOWER`;
    lines.push(`  latency (measured, median): ${v.latencyMs.before.toFixed(3)} ms -> ${v.latencyMs.after.toFixed(3)} ms (${word})`);
  }
  if (v.energyJ) lines.push(`  energy (estimated, ${v.energyJ.profile}): ${v.energyJ.before.toExponential(3)} J -> ${v.energyJ.after.toExponential(3)} J`);
  else if (v.energyNote) lines.push(`  energy: ${v.energyNote}`);
  if (r.sparsity !== undefined) lines.push(`  ${r.label.startsWith('prune structured') ? 'channels removed' : 'weight sparsity'}: ${(r.sparsity * 100).toFixed(1)}%`);
  if (r.sensitivity) {
    const excluded = r.sensitivity.filter((s) => s.excluded);
    lines.push(`  sensitivity: ${excluded.length} of ${r.sensitivity.length} layers excluded${excluded.length ? ` (${excluded.map((s) => `${s.node} drift ${s.drift.toExponential(2)}`).join(', ')})` : ''}`);
  }
  if (r.timingsMs) {
    const t = r.timingsMs;
    const parts = [t.calibrate !== undefined ? `calibration ${(t.calibrate / 1e3).toFixed(1)} s` : '', t.sensitivity !== undefined ? `sensitivity ${(t.sensitivity / 1e3).toFixed(1)} s` : ''].filter(Boolean);
    lines.push(`  time (measured): transform ${(t.transform / 1e3).toFixed(1)} s${parts.length ? ` (${parts.join(', ')})` : ''}, verification ${(t.verify / 1e3).toFixed(1)} s`);
  }
  for (const d of skipped.slice(0, 10)) lines.push(`  skipped ${d.node} (${d.opType}): ${d.reason ?? ''}`);
  if (skipped.length > 10) lines.push(`  ... and ${skipped.length - 10} more skipped`);
  if (v.expectation) lines.push(`  expectation: ${v.expectation.text}`);
  for (const note of v.notes) lines.push(`  note: ${note}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
