/**
 * Custom modules: `self.block = BasicBlock(64, 128, stride=2)` where BasicBlock is an nn.Module (or a
 * Keras Layer/Model) defined in the same file. The call is priced as one layer whose parameters, output
 * shape and MACs come from walking the class again with the call's arguments bound.
 */
import type { SyntaxNode } from '@lezer/common';
import { evaluate, unresolved, type PyValue, type Scope } from './evaluate';
import { LayerArgumentError, ShapeMismatchError, type ArgSpec, type LayerArgs } from './layerArgs';
import type { LayerFacts, LayerRule } from './layerRule';
import type { ModuleClassHook } from './registry';
import { children } from './syntax';
import type { Shape, SourceFramework } from './types';

/** Deep enough for ResNet (model → stage Sequential → block); stops self-instantiating classes. */
const MAX_DEPTH = 4;

export interface ModuleClass {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly framework: SourceFramework;
  readonly signature: readonly ArgSpec[];
}

export interface ClassInstantiator {
  instantiateClass(node: SyntaxNode, values: ReadonlyMap<string, PyValue>, inputShapes: readonly Shape[], moduleScope: Scope): LayerFacts;
}

/** Top-level classes whose bases name a Module, Layer or Model. */
export function findModuleClasses(top: SyntaxNode, text: string, moduleScope: Scope): Map<string, ModuleClass> {
  const classes = new Map<string, ModuleClass>();
  for (let statement = top.firstChild; statement; statement = statement.nextSibling) {
    const node = statement.name === 'DecoratedStatement' ? statement.getChild('ClassDefinition') : statement;
    if (node?.name !== 'ClassDefinition') continue;
    const nameNode = node.getChild('VariableName');
    const bases = node.getChild('ArgList');
    const basesText = bases ? text.slice(bases.from, bases.to) : '';
    if (!nameNode || !/Module|Layer|Model/.test(basesText)) continue;
    const name = text.slice(nameNode.from, nameNode.to);
    const framework: SourceFramework = /keras|Layer\b|Model\b/.test(basesText) && !/nn\.|torch/.test(basesText) ? 'keras' : 'pytorch';
    classes.set(name, { name, node, framework, signature: initSignature(node, text, moduleScope) });
  }
  return classes;
}

/** `def __init__(self, a, b=2, *, c=3)` → a, b=2, c=3 (defaults evaluated at module level). */
function initSignature(classNode: SyntaxNode, text: string, moduleScope: Scope): ArgSpec[] {
  const body = classNode.getChild('Body');
  const init = body ? children(body).map((s) => (s.name === 'DecoratedStatement' ? s.getChild('FunctionDefinition') : s))
    .find((s) => s?.name === 'FunctionDefinition' && text.slice(s.getChild('VariableName')?.from ?? 0, s.getChild('VariableName')?.to ?? 0) === '__init__') : undefined;
  const params = init?.getChild('ParamList');
  if (!params) return [];
  const specs: ArgSpec[] = [];
  let pending: string | undefined;
  let expectDefault = false;
  for (let part = params.firstChild; part; part = part.nextSibling) {
    if (part.name === 'VariableName' && !expectDefault) {
      const splat = part.prevSibling?.name === '*' || part.prevSibling?.name === '**';
      pending = text.slice(part.from, part.to);
      if (pending !== 'self' && !splat) specs.push({ name: pending });
    } else if (part.name === 'AssignOp') {
      expectDefault = true;
    } else if (expectDefault && part.name !== 'TypeDef') {
      const index = specs.findIndex((spec) => spec.name === pending);
      if (index >= 0) specs[index] = { name: specs[index]!.name, default: evaluate(part, text, moduleScope) };
      expectDefault = false;
    }
  }
  return specs;
}

export class CustomModuleRules implements ModuleClassHook {
  private readonly rules = new Map<string, LayerRule>();
  private readonly results = new Map<string, LayerFacts | Error>();

  constructor(
    private readonly classes: ReadonlyMap<string, ModuleClass>,
    private readonly newInstantiator: (depth: number) => ClassInstantiator,
    private readonly moduleScope: Scope,
    private readonly depth: number,
  ) {}

  isModuleClass(name: string): boolean {
    return this.classes.has(name);
  }

  rule(name: string): { rule: LayerRule; framework: SourceFramework } | undefined {
    const moduleClass = this.classes.get(name);
    if (!moduleClass || this.depth >= MAX_DEPTH) return undefined;
    let rule = this.rules.get(name);
    if (!rule) {
      rule = { signature: moduleClass.signature, describe: (args, inputs) => this.describe(moduleClass, args, inputs) };
      this.rules.set(name, rule);
    }
    return { rule, framework: moduleClass.framework };
  }

  /** Repeated blocks with the same arguments and input (ResNet stages) are walked once. */
  private describe(moduleClass: ModuleClass, args: LayerArgs, inputs: readonly Shape[]): LayerFacts {
    const values = new Map<string, PyValue>();
    for (const spec of moduleClass.signature) values.set(spec.name, argumentValue(args, spec.name));
    const key = JSON.stringify([moduleClass.name, [...values], inputs]);
    let result = this.results.get(key);
    if (!result) {
      try {
        result = this.newInstantiator(this.depth + 1).instantiateClass(moduleClass.node, values, inputs, this.moduleScope);
      } catch (error) {
        if (!(error instanceof ShapeMismatchError || error instanceof LayerArgumentError)) throw error;
        result = error;
      }
      this.results.set(key, result);
    }
    if (result instanceof Error) throw result;
    return { ...result, note: [`custom module ${moduleClass.name}: totals of the layers it builds`, result.note].filter(Boolean).join('; ') };
  }
}

function argumentValue(args: LayerArgs, name: string): PyValue {
  try {
    return args.value(name);
  } catch (error) {
    if (error instanceof LayerArgumentError) return unresolved(`\`${name}\` is not passed`);
    throw error;
  }
}
