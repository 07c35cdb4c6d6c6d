/**
 * Shape rules and cost rules in step: an operator whose output shape Joule infers is also priced,
 * or listed in UNCOSTED_OPS with the reason it is not (an analysis then lists it as unknown cost).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findRule, UNCOSTED_OPS } from '../../../src/core/cost/registry';
import { coveredOperators } from '../../../src/core/graph/shapeRules';

const split = (key: string): [domain: string, opType: string] => {
  const at = key.lastIndexOf(':');
  return at < 0 ? ['', key] : [key.slice(0, at), key.slice(at + 1)];
};

test('every operator with a shape rule has a cost rule or a stated reason to have none', () => {
  const missing = coveredOperators().filter((key) => !findRule(...split(key)) && UNCOSTED_OPS[key] === undefined);
  assert.deepEqual(missing, [], `add a cost rule or an UNCOSTED_OPS entry for: ${missing.join(', ')}`);
});

test('the uncosted list names only operators that have a shape rule and no cost rule', () => {
  const shaped = new Set(coveredOperators());
  for (const key of Object.keys(UNCOSTED_OPS)) {
    assert.ok(shaped.has(key), `${key} has no shape rule`);
    assert.equal(findRule(...split(key)), undefined, `${key} has a cost rule now: remove it from UNCOSTED_OPS`);
  }
});
