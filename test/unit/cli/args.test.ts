import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Options, parseArgs, UsageError, type OptionSpec } from '../../../src/cli/args';

const SPECS: OptionSpec[] = [
  { name: 'profile', kind: 'string', description: '' },
  { name: 'batch', kind: 'number', description: '' },
  { name: 'dim', kind: 'list', description: '' },
  { name: 'help', kind: 'flag', short: 'h', description: '' },
];

test('values with a space or =, repeatable lists, flags and positionals in any order', () => {
  const o = new Options(parseArgs(['m.onnx', '--profile=a100', '--dim', 'a=1', '-h', '--dim=b=2', '--batch', '4', 'x'], SPECS));
  assert.deepEqual(o.positionals, ['m.onnx', 'x']);
  assert.equal(o.string('profile'), 'a100');
  assert.equal(o.number('batch'), 4);
  assert.deepEqual(o.list('dim'), ['a=1', 'b=2']);
  assert.equal(o.flag('help'), true);
});

test('-- ends options; a lone - is a positional; negative numbers are values', () => {
  const o = new Options(parseArgs(['--batch', '-3', '--', '--profile', '-'], SPECS));
  assert.equal(o.number('batch'), -3);
  assert.deepEqual(o.positionals, ['--profile', '-']);
});

test('mistakes are UsageErrors with actionable messages', () => {
  assert.throws(() => parseArgs(['--nope'], SPECS), (e: unknown) => e instanceof UsageError && /Unknown option --nope/.test(e.message));
  assert.throws(() => parseArgs(['--profile'], SPECS), /needs a value \(--profile VALUE\)/);
  assert.throws(() => parseArgs(['--profile', '--batch', '1'], SPECS), /needs a value/);
  assert.throws(() => parseArgs(['--batch', ''], SPECS), /expects a number/);
  assert.throws(() => parseArgs(['--profile', 'a', '--profile', 'b'], SPECS), /given twice/);
  assert.throws(() => parseArgs(['--help=yes'], SPECS), /takes no value/);
});
