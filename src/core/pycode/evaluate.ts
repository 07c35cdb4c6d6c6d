/**
 * Evaluates the constant expressions that size layers: numbers, booleans, strings, None, tuples,
 * lists, names bound in a scope, simple arithmetic and framework dtypes. Anything else evaluates to an
 * `Unresolved` value that carries the reason, so a hint can say why it is missing.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Binding } from './records';
import { MAX_SEQUENCE_LENGTH } from './limits';
import { children, dottedName, sequenceElements } from './syntax';

export interface DtypeValue {
  readonly kind: 'dtype';
  readonly name: string;
  readonly bytes: number;
}

export interface Unresolved {
  readonly kind: 'unresolved';
  readonly reason: string;
}

export type PyValue = number | boolean | string | null | readonly PyValue[] | DtypeValue | Unresolved;

export function unresolved(reason: string): Unresolved {
  return { kind: 'unresolved', reason };
}

export function isUnresolved(value: PyValue | undefined): value is Unresolved {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Unresolved).kind === 'unresolved';
}

export function isDtype(value: PyValue | undefined): value is DtypeValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as DtypeValue).kind === 'dtype';
}

/**
 * Name → value bindings, chained to an outer scope (function → module). Names bound to layers,
 * containers or custom modules are kept apart from constants.
 */
export class Scope {
  private readonly values = new Map<string, PyValue>();
  private readonly objects = new Map<string, Binding | null>();

  constructor(private readonly outer?: Scope) {}

  set(name: string, value: PyValue): void {
    this.values.set(name, value);
  }

  get(name: string): PyValue | undefined {
    return this.values.get(name) ?? this.outer?.get(name);
  }

  /** Binds a name to a layer or container; `null` shadows an outer binding (name reassigned). */
  bindObject(name: string, binding: Binding | null): void {
    this.objects.set(name, binding);
  }

  object(name: string): Binding | undefined {
    const own = this.objects.get(name);
    if (own !== undefined) return own ?? undefined;
    return this.outer?.object(name);
  }

  child(): Scope {
    return new Scope(this);
  }
}

/** Bytes per element of the dtypes PyTorch, NumPy and Keras name in layer constructors. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float64: 8, double: 8, float32: 4, float: 4, float16: 2, half: 2, bfloat16: 2,
  mixed_float16: 2, mixed_bfloat16: 2, int8: 1, qint8: 1, uint8: 1, quint8: 1, int16: 2, int32: 4, int64: 8,
};

export function dtypeFromName(name: string): DtypeValue | undefined {
  const last = name.slice(name.lastIndexOf('.') + 1);
  const bytes = DTYPE_BYTES[last];
  return bytes === undefined ? undefined : { kind: 'dtype', name: last, bytes };
}

export function evaluate(node: SyntaxNode, text: string, scope: Scope): PyValue {
  switch (node.name) {
    case 'Number':
      return parseNumber(text.slice(node.from, node.to));
    case 'Boolean':
      return text.slice(node.from, node.to) === 'True';
    case 'None':
      return null;
    case 'String':
      return parseString(text.slice(node.from, node.to));
    case 'VariableName': {
      const name = text.slice(node.from, node.to);
      const value = scope.get(name);
      return value === undefined ? unresolved(`\`${name}\` has no known value`) : value;
    }
    case 'MemberExpression':
      return evaluateMember(node, text, scope);
    case 'ParenthesizedExpression': {
      const inner = sequenceElements(node);
      return inner.length === 1 ? evaluate(inner[0]!, text, scope) : unresolved('unsupported parenthesized expression');
    }
    case 'TupleExpression':
    case 'ArrayExpression': {
      const elements = sequenceElements(node);
      if (elements.length > MAX_SEQUENCE_LENGTH) return unresolved(`a literal of ${elements.length} elements (limit ${MAX_SEQUENCE_LENGTH})`);
      return elements.map((element) => evaluate(element, text, scope));
    }
    case 'UnaryExpression':
      return evaluateUnary(node, text, scope);
    case 'BinaryExpression':
      return evaluateBinary(node, text, scope);
    case 'ConditionalExpression':
      return evaluateConditional(node, text, scope);
    case 'CallExpression':
      return evaluateCall(node, text, scope);
    default:
      return unresolved(`cannot evaluate \`${text.slice(node.from, node.to)}\``);
  }
}

function parseNumber(literal: string): PyValue {
  // Number() reads Python's int, float, hex, octal and binary literals once underscores are gone.
  const value = Number(literal.includes('_') ? literal.split('_').join('') : literal);
  return Number.isFinite(value) ? value : unresolved(`unsupported number ${literal}`);
}

function parseString(literal: string): PyValue {
  // Strings here are names like 'same' or 'relu': strip the prefix (r, b, u) and the quotes.
  // f-strings are not constant; escapes are left as written.
  let start = 0;
  while (start < literal.length && 'rRbBuU'.includes(literal[start]!)) start++;
  if ('fF'.includes(literal[start] ?? '')) return unresolved('f-strings are not constant');
  const body = literal.slice(start);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body.slice(0, 1);
  if ((quote !== '"' && quote !== "'" && quote.length !== 3) || !body.endsWith(quote) || body.length < 2 * quote.length) {
    return unresolved('unsupported string literal');
  }
  return body.slice(quote.length, body.length - quote.length);
}

function evaluateMember(node: SyntaxNode, text: string, scope: Scope): PyValue {
  const dotted = dottedName(node, text);
  if (dotted !== undefined) {
    const bound = scope.get(dotted);
    if (bound !== undefined) return bound;
    const dtype = dtypeFromName(dotted);
    if (dtype && /^(torch|np|numpy|tf|tensorflow)\./.test(dotted)) return dtype;
    return unresolved(`\`${dotted}\` has no known value`);
  }
  // Subscript of a constant tuple or list: SIZES[1].
  const parts = children(node);
  const [object, bracket, subscript] = parts;
  if (parts.length >= 4 && object && bracket?.name === '[' && subscript) {
    const container = evaluate(object, text, scope);
    const index = evaluate(subscript, text, scope);
    if (Array.isArray(container) && typeof index === 'number') {
      const element = container[index < 0 ? container.length + index : index];
      return element === undefined ? unresolved('index out of range') : element;
    }
  }
  return unresolved(`cannot evaluate \`${text.slice(node.from, node.to)}\``);
}

function evaluateUnary(node: SyntaxNode, text: string, scope: Scope): PyValue {
  const [operator, operand] = children(node);
  if (!operator || !operand) return unresolved('incomplete expression');
  const value = evaluate(operand, text, scope);
  const op = text.slice(operator.from, operator.to);
  if (op === 'not') return isUnresolved(value) ? value : !truthy(value);
  if (typeof value !== 'number') return isUnresolved(value) ? value : unresolved(`cannot apply ${op}`);
  return op === '-' ? -value : op === '+' ? value : op === '~' ? ~value : unresolved(`unsupported operator ${op}`);
}

function evaluateBinary(node: SyntaxNode, text: string, scope: Scope): PyValue {
  const [leftNode, opNode, rightNode, ...rest] = children(node);
  if (!leftNode || !opNode || !rightNode || rest.length > 0) return unresolved('unsupported expression');
  const op = text.slice(opNode.from, opNode.to);
  const left = evaluate(leftNode, text, scope);
  if (isUnresolved(left)) return left;
  if (op === 'and') return truthy(left) ? evaluate(rightNode, text, scope) : left;
  if (op === 'or') return truthy(left) ? left : evaluate(rightNode, text, scope);
  const right = evaluate(rightNode, text, scope);
  if (isUnresolved(right)) return right;
  if (typeof left === 'number' && typeof right === 'number') return arithmetic(op, left, right);
  if (Array.isArray(left) && Array.isArray(right) && op === '+') {
    return left.length + right.length > MAX_SEQUENCE_LENGTH ? tooLong(left.length + right.length) : [...left, ...right];
  }
  if (Array.isArray(left) && typeof right === 'number' && op === '*') {
    return left.length * right > MAX_SEQUENCE_LENGTH ? tooLong(left.length * right) : repeat(left, right);
  }
  if (op === '==') return left === right;
  if (op === '!=') return left !== right;
  return unresolved(`cannot evaluate \`${text.slice(node.from, node.to)}\``);
}

function tooLong(length: number): PyValue {
  return unresolved(`a list of ${length} elements (limit ${MAX_SEQUENCE_LENGTH})`);
}

function repeat(items: readonly PyValue[], times: number): PyValue[] {
  const out: PyValue[] = [];
  for (let i = 0; i < times; i++) out.push(...items);
  return out;
}

function arithmetic(op: string, a: number, b: number): PyValue {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? unresolved('division by zero') : a / b;
    case '//': return b === 0 ? unresolved('division by zero') : Math.floor(a / b);
    case '%': return b === 0 ? unresolved('division by zero') : ((a % b) + b) % b;
    case '**': return a ** b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
    default: return unresolved(`unsupported operator ${op}`);
  }
}

function evaluateConditional(node: SyntaxNode, text: string, scope: Scope): PyValue {
  const [whenTrue, test, whenFalse, ...rest] = children(node).filter((part) => part.name !== 'if' && part.name !== 'else');
  if (!whenTrue || !test || !whenFalse || rest.length > 0) return unresolved('unsupported conditional');
  const condition = evaluate(test, text, scope);
  if (isUnresolved(condition)) return condition;
  return evaluate(truthy(condition) ? whenTrue : whenFalse, text, scope);
}

/** int(), max(), min(), round(), len() and tuple()/list() of constants. */
function evaluateCall(node: SyntaxNode, text: string, scope: Scope): PyValue {
  const callee = node.firstChild;
  const argList = node.lastChild;
  if (!callee || !argList || argList.name !== 'ArgList') return unresolved('unsupported call');
  const name = dottedName(callee, text);
  const args = sequenceElements(argList).map((arg) => evaluate(arg, text, scope));
  const bad = args.find(isUnresolved);
  if (bad) return bad;
  const numbers = args.filter((arg): arg is number => typeof arg === 'number');
  switch (name) {
    case 'int': return numbers.length === 1 ? Math.trunc(numbers[0]!) : unresolved('int() of a non-number');
    case 'round': return numbers.length === 1 ? Math.round(numbers[0]!) : unresolved('unsupported round()');
    case 'float': return numbers.length === 1 ? numbers[0]! : unresolved('float() of a non-number');
    case 'max':
    case 'min': {
      const pool = args.length === 1 && Array.isArray(args[0]) ? (args[0] as PyValue[]).filter((v): v is number => typeof v === 'number') : numbers;
      if (pool.length === 0) return unresolved(`${name}() of non-numbers`);
      // A loop, not a spread: a long list would overflow the call's argument stack.
      return pool.reduce((a, b) => (name === 'max' ? Math.max(a, b) : Math.min(a, b)));
    }
    case 'len': return args.length === 1 && Array.isArray(args[0]) ? (args[0] as PyValue[]).length : unresolved('len() of a non-sequence');
    case 'tuple':
    case 'list': return args.length === 1 && Array.isArray(args[0]) ? args[0] : unresolved(`unsupported ${name}()`);
    case 'math.prod': return args.length === 1 && Array.isArray(args[0]) ? product(args[0] as PyValue[]) : unresolved('unsupported prod()');
    default: return unresolved(`\`${text.slice(node.from, node.to)}\` is not a constant`);
  }
}

function product(values: readonly PyValue[]): PyValue {
  let total = 1;
  for (const value of values) {
    if (typeof value !== 'number') return unresolved('prod() of non-numbers');
    total *= value;
  }
  return total;
}

export function truthy(value: PyValue): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
