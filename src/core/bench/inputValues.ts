/**
 * Real input values for benchmarks and verification, per input name: `sr=16000` (a scalar or a
 * comma list, typed from the model's declaration), `state=state.npy` (NumPy), `x=x.pb` (an ONNX
 * TensorProto, as onnx's test data stores them) or `ids=ids.json` (`{ type, dims, data }` or a
 * nested array). Anything not given is generated (inputs.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readNpy, readPb } from '../transform/io/calibData';
import { TransformError } from '../transform/transformError';
import type { FeedTensor } from '../transform/verify/feeds';
import { isSupportedElementType, type InputDeclaration } from './inputs';
import type { InputElementType, UserInput } from './types';

/** A bad `--input`: the CLI reports it as a usage error (exit 2). */
export class InputValueError extends Error {
  override readonly name = 'InputValueError';
}

/** A tensor read by the transforms' calibration reader, typed as the model declares the input. */
function fromFile(file: string, ext: string, declared: InputDeclaration | undefined, label: string): UserInput {
  let tensor: FeedTensor;
  try {
    tensor = ext === '.npy' ? readNpy(file) : readPb(file).tensor;
  } catch (e) {
    if (e instanceof TransformError) throw new InputValueError(`${label}: ${e.message}`);
    throw e;
  }
  // Same cast as calibration: a float64 .npy feeds a float32 input, an int32 one an int64 input.
  const type = declared?.type !== undefined && isSupportedElementType(declared.type) ? declared.type : tensor.dataType;
  return { type, dims: [...tensor.dims], data: [...tensor.values] };
}

type Nested = number | boolean | readonly Nested[];

function flatten(value: Nested, dims: number[], depth: number, out: (number | boolean)[], label: string): void {
  if (!Array.isArray(value)) {
    if (typeof value !== 'number' && typeof value !== 'boolean') throw new InputValueError(`${label}: JSON values must be numbers or booleans`);
    out.push(value);
    return;
  }
  if (dims.length === depth) dims.push(value.length);
  else if (dims[depth] !== value.length) throw new InputValueError(`${label}: ragged JSON array (${value.length} vs ${dims[depth]} at depth ${depth})`);
  for (const v of value) flatten(v, dims, depth + 1, out, label);
}

/** `{ "type", "dims", "data" }`, or a nested array typed from the declaration. */
export function readJsonInput(text: string, declared: InputDeclaration | undefined, label: string): UserInput {
  const parsed = JSON.parse(text) as unknown;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const o = parsed as { type?: unknown; dims?: unknown; data?: unknown };
    const type = typeof o.type === 'string' ? o.type : declared?.type;
    if (!type || !isSupportedElementType(type)) throw new InputValueError(`${label}: "type" missing or not a tensor type`);
    if (!Array.isArray(o.dims) || !Array.isArray(o.data)) throw new InputValueError(`${label}: needs "dims" and "data" arrays`);
    return { type, dims: o.dims as number[], data: o.data as (number | boolean)[] };
  }
  const dims: number[] = [];
  const data: (number | boolean)[] = [];
  flatten(parsed as Nested, dims, 0, data, label);
  return { type: typeOf(declared, label), dims, data };
}

function typeOf(declared: InputDeclaration | undefined, label: string): InputElementType {
  const type = declared?.type ?? 'float32';
  if (!isSupportedElementType(type)) throw new InputValueError(`${label}: the model declares type ${type}, which cannot be given as numbers`);
  return type;
}

/** A scalar or comma list, shaped like the declaration (scalar `[]` or `[1]`, else a flat list). */
function literalInput(text: string, declared: InputDeclaration | undefined, label: string): UserInput {
  const values = text.split(',').map((v) => v.trim());
  const data = values.map((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)));
  if (data.some((n) => !Number.isFinite(n))) throw new InputValueError(`${label}: "${text}" is neither a number, a comma list nor a .npy/.pb/.json file`);
  const rank = declared?.shape.length;
  const dims = data.length === 1 && rank === 0 ? [] : data.length === 1 && rank !== undefined ? new Array<number>(rank).fill(1) : [data.length];
  return { type: typeOf(declared, label), dims, data };
}

/** Parses `name=VALUE` entries (CLI `--input`, the panel's picks) against the model's declared inputs. */
export function parseInputValues(entries: readonly string[], declarations: readonly InputDeclaration[], cwd = '.'): Record<string, UserInput> {
  const inputs: Record<string, UserInput> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new InputValueError(`--input ${entry}: expected NAME=VALUE (a number, a comma list, or a .npy, .pb or .json file)`);
    const name = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    const declared = declarations.find((d) => d.name === name);
    if (!declared) throw new InputValueError(`--input ${name}: the model has no input named ${name} (inputs: ${declarations.map((d) => d.name).join(', ')})`);
    const label = `--input ${name}=${value}`;
    const ext = path.extname(value).toLowerCase();
    if (ext === '.npy' || ext === '.pb' || ext === '.json') {
      const file = path.resolve(cwd, value);
      if (!fs.existsSync(file)) throw new InputValueError(`${label}: no such file ${file}`);
      inputs[name] = ext === '.json' ? readJsonInput(fs.readFileSync(file, 'utf8'), declared, label) : fromFile(file, ext, declared, label);
    } else {
      inputs[name] = literalInput(value, declared, label);
    }
  }
  return inputs;
}

/** "sr=16000 (int64 scalar, given)" for error messages that must name the values a run used. */
export function describeFeed(input: { readonly name: string; readonly type: string; readonly dims: readonly number[]; readonly origin: string; readonly data?: ArrayLike<number | bigint> }): string {
  const shape = input.dims.length === 0 ? 'scalar' : `[${input.dims.join('×')}]`;
  const count = input.dims.reduce((n, d) => n * d, 1);
  const values = input.data && count <= 4 ? `=${Array.from(input.data, (v) => String(v)).join(',')}` : '';
  return `${input.name}${values} (${input.type} ${shape}, ${input.origin === 'user' ? 'given' : 'generated'})`;
}
