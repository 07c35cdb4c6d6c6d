/**
 * The estimator against published measurements (published.json, sources there; errors in
 * docs/validation.md). Each row must stay within its stated tolerance on |ln(estimated/measured)|.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, resnet50PerSampleJ, ROWS } from './rows';
import { getProfile } from '../../src/core/energy/profileRegistry';
import { profileUncertainty } from '../../src/core/energy/uncertainty';

for (const row of ROWS) {
  test(`${row.model} on ${row.hardware}: within ${Math.exp(row.toleranceLog).toFixed(2)}x of ${row.measured} ${row.unit}`, () => {
    const r = evaluate(row);
    assert.ok(Number.isFinite(r.estimated) && r.estimated > 0, `${row.id}: ${r.estimated}`);
    assert.ok(Math.abs(r.logError) <= row.toleranceLog,
      `${row.id}: estimated ${r.estimated.toPrecision(3)} vs measured ${row.measured} ${row.unit} (log error ${r.logError.toFixed(2)}, tolerance ${row.toleranceLog})`);
  });
}

test('every energy row lies inside the uncertainty band its profile carries (src/core/energy/uncertainty.ts)', () => {
  for (const row of ROWS.filter((r) => r.unit.startsWith('J'))) {
    const band = profileUncertainty(getProfile(row.profile)!);
    const r = evaluate(row);
    assert.ok(Math.abs(r.logError) <= band.logError, `${row.id}: log error ${r.logError.toFixed(3)} outside the ${row.profile} band ${band.logError} (${band.basis})`);
  }
});

test('every row names its source and a tolerance; rows above the 1.5x target say why', () => {
  for (const row of ROWS) {
    assert.ok(row.source.length > 10, row.id);
    assert.ok(row.toleranceLog > 0, row.id);
    if (row.toleranceLog > 0.41) assert.ok((row.toleranceReason ?? '').length > 20, `${row.id} needs a toleranceReason`);
  }
});

test('ResNet-50 int8 energy per sample falls with batch on A100 and H100 from 1 to 64', () => {
  for (const id of ['a100', 'h100']) {
    const [b1, b8, b64] = [1, 8, 64].map((b) => resnet50PerSampleJ(id, b));
    assert.ok(b8! < b1! && b64! < b8!, `${id}: ${b1} > ${b8} > ${b64} J/sample expected`);
  }
});
