/**
 * Writes TFLite files for fixtures and tests from a small spec, with the project's own FlatBuffers
 * encoder: operator codes, one subgraph, tensors with quantization, buffers (inside the flatbuffer,
 * or past it with offset/size as large models store them), and the options of common builtins.
 */
import type { DataType } from '../../graph/ir';
import { type FbField, type FbRef, type FbTable, encodeFlatBuffer, fb } from './flatbufferBuilder';
import { ACTIVATIONS, OPTIONS_TYPE, PADDING, builtinOperatorCode, tensorTypeCode } from './schema';

type Activation = (typeof ACTIVATIONS)[number];
type Padding = (typeof PADDING)[number];

export type TfliteOptionsSpec =
  | { readonly kind: 'conv2d'; readonly padding: Padding; readonly stride: readonly [number, number]; readonly activation?: Activation; readonly dilation?: readonly [number, number] }
  | { readonly kind: 'depthwise'; readonly padding: Padding; readonly stride: readonly [number, number]; readonly depthMultiplier: number; readonly activation?: Activation; readonly dilation?: readonly [number, number] }
  | { readonly kind: 'pool'; readonly padding: Padding; readonly stride: readonly [number, number]; readonly filter: readonly [number, number]; readonly activation?: Activation }
  | { readonly kind: 'fullyConnected'; readonly activation?: Activation; readonly keepNumDims?: boolean }
  | { readonly kind: 'softmax'; readonly beta: number }
  | { readonly kind: 'reshape'; readonly newShape: readonly number[] }
  | { readonly kind: 'add' | 'mul' | 'sub'; readonly activation?: Activation };

export interface TfliteTensorSpec {
  readonly name: string;
  readonly dataType: DataType;
  readonly shape: readonly number[];
  /** -1 marks a dynamic dimension. */
  readonly shapeSignature?: readonly number[];
  /** Constant data; the tensor gets its own buffer. */
  readonly data?: Uint8Array;
  readonly quantization?: { readonly scale: readonly number[]; readonly zeroPoint: readonly number[]; readonly quantizedDimension?: number };
}

export interface TfliteOperatorSpec {
  /** A builtin name (CONV_2D) or `{ custom: 'MyOp' }`. */
  readonly op: string | { readonly custom: string };
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options?: TfliteOptionsSpec;
}

export interface TfliteSpec {
  readonly description?: string;
  readonly tensors: readonly TfliteTensorSpec[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly TfliteOperatorSpec[];
  /** Store buffer data after the flatbuffer with Buffer.offset/size (schema 3c large-model layout). */
  readonly externalBuffers?: boolean;
  /** Write opcodes only in the deprecated byte field, as files before schema 3a did. */
  readonly deprecatedOpcodeField?: boolean;
}

const i8 = (v: number): FbField => fb.scalar('i8', v);
const i32 = (v: number): FbField => fb.scalar('i32', v);
const bool = (v: boolean): FbField => fb.scalar('bool', v ? 1 : 0);
const act = (a: Activation | undefined): FbField => i8(ACTIVATIONS.indexOf(a ?? 'NONE'));
const pad = (p: Padding): FbField => i8(PADDING.indexOf(p));

function optionsTable(o: TfliteOptionsSpec): { type: number; table: FbTable } {
  switch (o.kind) {
    case 'conv2d':
      return { type: OPTIONS_TYPE.Conv2DOptions, table: fb.table([pad(o.padding), i32(o.stride[1]), i32(o.stride[0]), act(o.activation), i32(o.dilation?.[1] ?? 1), i32(o.dilation?.[0] ?? 1)]) };
    case 'depthwise':
      return { type: OPTIONS_TYPE.DepthwiseConv2DOptions, table: fb.table([pad(o.padding), i32(o.stride[1]), i32(o.stride[0]), i32(o.depthMultiplier), act(o.activation), i32(o.dilation?.[1] ?? 1), i32(o.dilation?.[0] ?? 1)]) };
    case 'pool':
      return { type: OPTIONS_TYPE.Pool2DOptions, table: fb.table([pad(o.padding), i32(o.stride[1]), i32(o.stride[0]), i32(o.filter[1]), i32(o.filter[0]), act(o.activation)]) };
    case 'fullyConnected':
      return { type: OPTIONS_TYPE.FullyConnectedOptions, table: fb.table([act(o.activation), undefined, bool(o.keepNumDims ?? false)]) };
    case 'softmax':
      return { type: OPTIONS_TYPE.SoftmaxOptions, table: fb.table([fb.scalar('f32', o.beta)]) };
    case 'reshape':
      return { type: OPTIONS_TYPE.ReshapeOptions, table: fb.table([fb.scalars('i32', o.newShape)]) };
    case 'add':
      return { type: OPTIONS_TYPE.AddOptions, table: fb.table([act(o.activation)]) };
    case 'mul':
      return { type: OPTIONS_TYPE.MulOptions, table: fb.table([act(o.activation)]) };
    case 'sub':
      return { type: OPTIONS_TYPE.SubOptions, table: fb.table([act(o.activation)]) };
  }
}

const opKey = (op: TfliteOperatorSpec['op']): string => (typeof op === 'string' ? op : `custom:${op.custom}`);

/** One encoded object per spec object: arrays or quantizations reused in a spec are written once, shared. */
function sharer<K extends object, V extends FbRef>(make: (key: K) => V): (key: K) => V {
  const seen = new Map<K, V>();
  return (key) => {
    const known = seen.get(key);
    if (known) return fb.share(known);
    const made = make(key);
    seen.set(key, made);
    return made;
  };
}

function encode(spec: TfliteSpec, externalBase: number | undefined): Uint8Array {
  const indices = sharer((list: readonly number[]) => fb.scalars('i32', list));
  const quantization = sharer((q: NonNullable<TfliteTensorSpec['quantization']>) =>
    fb.table([undefined, undefined, fb.scalars('f32', q.scale), fb.scalars('i64', q.zeroPoint.map(BigInt)), undefined, undefined, i32(q.quantizedDimension ?? 0)]));
  const opKeys = [...new Set(spec.operators.map((o) => opKey(o.op)))];
  const operatorCodes = opKeys.map((key) => {
    const custom = key.startsWith('custom:') ? key.slice(7) : undefined;
    const code = custom !== undefined ? builtinOperatorCode('CUSTOM') : builtinOperatorCode(key);
    return fb.table([
      i8(Math.min(code, 127)),
      custom !== undefined ? fb.string(custom) : undefined,
      i32(1),
      spec.deprecatedOpcodeField ? undefined : i32(code),
    ]);
  });
  // Buffer 0 is the empty sentinel every TFLite file has.
  const buffers: FbTable[] = [fb.table([])];
  let external = externalBase ?? 0;
  const tensors = spec.tensors.map((t) => {
    let bufferIndex = 0;
    if (t.data) {
      bufferIndex = buffers.length;
      if (externalBase !== undefined) {
        external = align(external, 16);
        buffers.push(fb.table([undefined, fb.scalar('u64', external), fb.scalar('u64', t.data.length)]));
        external += t.data.length;
      } else {
        buffers.push(fb.table([fb.scalars('u8', [...t.data], 16)]));
      }
    }
    const q = t.quantization;
    return fb.table([
      fb.scalars('i32', t.shape),
      i8(tensorTypeCode(t.dataType)),
      fb.scalar('u32', bufferIndex),
      fb.string(t.name),
      q ? quantization(q) : undefined,
      undefined,
      undefined,
      t.shapeSignature ? fb.scalars('i32', t.shapeSignature) : undefined,
    ]);
  });
  const operators = spec.operators.map((o) => {
    const options = o.options ? optionsTable(o.options) : undefined;
    return fb.table([
      fb.scalar('u32', opKeys.indexOf(opKey(o.op))),
      indices(o.inputs),
      indices(o.outputs),
      options ? fb.scalar('u8', options.type) : undefined,
      options?.table,
    ]);
  });
  const subgraph = fb.table([fb.tables(tensors), fb.scalars('i32', spec.inputs), fb.scalars('i32', spec.outputs), fb.tables(operators), fb.string('main')]);
  const model = fb.table([
    fb.scalar('u32', 3),
    fb.tables(operatorCodes),
    fb.tables([subgraph]),
    spec.description !== undefined ? fb.string(spec.description) : undefined,
    fb.tables(buffers),
  ]);
  return encodeFlatBuffer(model, 'TFL3');
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

export function writeTflite(spec: TfliteSpec): Uint8Array {
  if (!spec.externalBuffers) return encode(spec, undefined);
  // Offsets are fixed-width u64 fields, so a first pass gives the flatbuffer's exact length.
  const flatLength = encode(spec, 0).length;
  const base = align(flatLength, 16);
  const flat = encode(spec, base);
  let end = base;
  const placed: [number, Uint8Array][] = [];
  for (const t of spec.tensors) {
    if (!t.data) continue;
    end = align(end, 16);
    placed.push([end, t.data]);
    end += t.data.length;
  }
  const out = new Uint8Array(end);
  out.set(flat);
  for (const [at, data] of placed) out.set(data, at);
  return out;
}
