/** All shape rules by key: `opType` for the default ONNX domain, `domain:opType` otherwise. */
import { attentionRules } from './attention';
import { controlFlowRules } from './controlFlow';
import { convPoolRules } from './convPool';
import { detectionRules } from './detection';
import { elementwiseRules } from './elementwise';
import { linearRules } from './linear';
import { microsoftRules } from './microsoft';
import { miscRules } from './misc';
import { normalizationRules } from './normalization';
import { quantizedRules } from './quantized';
import { recurrentRules } from './recurrent';
import { reduceRules } from './reduce';
import type { RuleTable, ShapeRule } from './ruleTypes';
import { tensorOpsRules } from './tensorOps';

let table: RuleTable | undefined;

function allRules(): RuleTable {
  table ??= {
    ...elementwiseRules, ...convPoolRules, ...linearRules, ...tensorOpsRules, ...reduceRules, ...normalizationRules,
    ...recurrentRules, ...detectionRules, ...quantizedRules, ...microsoftRules, ...attentionRules, ...controlFlowRules, ...miscRules,
  };
  return table;
}

export function shapeRuleFor(domain: string, opType: string): ShapeRule | undefined {
  const rules = allRules();
  if (domain === '' || domain === 'ai.onnx') return rules[opType];
  return rules[`${domain}:${opType}`];
}

/** Keys of every covered operator (for documentation and coverage reports). */
export function coveredOperators(): string[] {
  return Object.keys(allRules()).sort();
}
