/**
 * Prints the validation table of docs/validation.md: every published row, its estimate and its
 * error. Run: npm run compile-tests && node out/test/validation/report.js
 */
import { evaluate, resnet50PerSampleJ, ROWS } from './rows';

const fmt = (x: number): string => x.toPrecision(3);
console.log('| row | measured | estimated | ratio | log error | tolerance | within |');
console.log('|---|---|---|---|---|---|---|');
for (const row of ROWS) {
  const r = evaluate(row);
  const ok = Math.abs(r.logError) <= row.toleranceLog;
  console.log(`| ${row.id} | ${fmt(row.measured)} ${row.unit} | ${fmt(r.estimated)} | ${fmt(r.estimated / row.measured)}x | ${r.logError.toFixed(2)} | ${row.toleranceLog} | ${ok ? 'yes' : 'no'} |`);
}
console.log('\nResNet-50 int8, estimated J/sample by batch:');
for (const id of ['a100', 'h100']) {
  console.log(`${id}: ${[1, 8, 64, 256].map((b) => `b${b} ${fmt(resnet50PerSampleJ(id, b))}`).join(', ')}`);
}
