/**
 * Reads user-supplied model inputs for calibration: NumPy `.npy`, ONNX `TensorProto` `.pb` (also the
 * ONNX test-data layout `test_data_set_N/input_K.pb`) and JSON. A folder gives one sample per file
 * (or per test_data_set folder); JSON may hold one sample `{input: values}` or a list of them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BufferByteSource } from '../../io/byteSource';
import { float16BitsToFloat } from '../../onnx/floatBits';
import { decodeTensor } from '../../onnx/tensorDecoder';
import { readTensorData } from '../../onnx/tensorData';
import { WireReader } from '../../onnx/wireReader';
import { TransformError } from '../transformError';
import type { Feeds, FeedTensor, InputSpec } from '../verify/feeds';

const bad = (file: string, why: string): TransformError => new TransformError('bad-request', `calibration data ${file}: ${why}`);

/** All samples found at `location` (file or folder), matched to the model's inputs. */
export function readCalibrationData(location: string, inputs: readonly InputSpec[]): Feeds[] {
  if (!fs.existsSync(location)) throw bad(location, 'not found');
  if (fs.statSync(location).isFile()) return samplesFromFile(location, inputs);
  const entries = fs.readdirSync(location, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  const samples: Feeds[] = [];
  for (const e of entries) {
    const full = path.join(location, e.name);
    if (e.isDirectory()) {
      // ONNX test-data layout: one folder per sample, input_K.pb for the K-th input.
      const feeds: Feeds = {};
      for (const f of fs.readdirSync(full).filter((n) => /^input_\d+\.pb$/.test(n))) {
        const index = Number(/\d+/.exec(f)![0]);
        const spec = inputs[index];
        if (!spec) throw bad(path.join(full, f), `the model has only ${inputs.length} inputs`);
        feeds[spec.name] = readPb(path.join(full, f)).tensor;
      }
      if (Object.keys(feeds).length > 0) samples.push(complete(feeds, inputs, full));
    } else if (/\.(npy|pb|json)$/i.test(e.name)) {
      samples.push(...samplesFromFile(full, inputs));
    }
  }
  if (samples.length === 0) throw bad(location, 'no .npy, .pb or .json inputs found');
  return samples;
}

function samplesFromFile(file: string, inputs: readonly InputSpec[]): Feeds[] {
  const ext = path.extname(file).toLowerCase();
  const single = (tensor: FeedTensor, name?: string): Feeds => {
    const spec = (name ? inputs.find((i) => i.name === name) : undefined) ?? (inputs.length === 1 ? inputs[0] : undefined);
    if (!spec) throw bad(file, `cannot tell which of the ${inputs.length} inputs it is (name it after the input)`);
    return complete({ [spec.name]: castTo(tensor, spec) }, inputs, file);
  };
  if (ext === '.npy') return [single(readNpy(file), path.basename(file, ext))];
  if (ext === '.pb') {
    const { name, tensor } = readPb(file);
    return [single(tensor, name || path.basename(file, ext))];
  }
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw bad(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const list = Array.isArray(parsed) && parsed.length > 0 && typeof parsed[0] === 'object' && !Array.isArray(parsed[0]) ? parsed : [parsed];
    return list.map((sample) => {
      if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) throw bad(file, 'expected {"input name": values}');
      const feeds: Feeds = {};
      for (const [name, value] of Object.entries(sample as Record<string, unknown>)) {
        const spec = inputs.find((i) => i.name === name);
        if (!spec) throw bad(file, `the model has no input named ${name}`);
        feeds[name] = castTo(jsonTensor(value, file), spec);
      }
      return complete(feeds, inputs, file);
    });
  }
  throw bad(file, 'unknown extension (expected .npy, .pb or .json)');
}

function complete(feeds: Feeds, inputs: readonly InputSpec[], file: string): Feeds {
  for (const spec of inputs) if (!feeds[spec.name]) throw bad(file, `missing a value for input ${spec.name}`);
  return feeds;
}

function castTo(t: FeedTensor, spec: InputSpec): FeedTensor {
  const want = spec.dataType === 'float64' ? 'float32' : spec.dataType;
  if (t.dataType === want) return t;
  if (want === 'float32' || want === 'float16' || want === 'int64' || want === 'int32' || want === 'uint8' || want === 'int8' || want === 'bool') {
    return { ...t, dataType: want };
  }
  throw new TransformError('bad-request', `input ${spec.name} is ${spec.dataType}, which calibration cannot feed`);
}

/** JSON values: nested arrays (shape from nesting) or {dims, data}. */
function jsonTensor(value: unknown, file: string): FeedTensor {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { dims, data } = value as { dims?: unknown; data?: unknown };
    if (!Array.isArray(dims) || !Array.isArray(data)) throw bad(file, 'a tensor object needs "dims" and "data" arrays');
    const flat = data.flat(Infinity) as unknown[];
    if (flat.length !== dims.reduce((a: number, b: number) => a * b, 1)) throw bad(file, `data has ${flat.length} values, dims ${JSON.stringify(dims)}`);
    return { dataType: 'float32', dims: dims as number[], values: flat.map(Number) };
  }
  const dims: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    dims.push(level.length);
    level = level[0];
  }
  const flat = (value as unknown[]).flat(Infinity).map(Number);
  if (flat.length !== dims.reduce((a, b) => a * b, 1) || flat.some((v) => Number.isNaN(v))) throw bad(file, 'nested arrays must be rectangular and numeric');
  return { dataType: 'float32', dims, values: flat };
}

/** NumPy .npy v1-v3: little-endian f4/f8/i8/i4/u1/i1/b1, C order. */
export function readNpy(file: string): FeedTensor {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw bad(file, 'not a .npy file');
  const major = bytes[6]!;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) throw bad(file, 'unreadable .npy header');
  if (fortran) throw bad(file, 'Fortran-ordered arrays are not supported; save with np.ascontiguousarray');
  const dims = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(start);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const kinds: Record<string, [FeedTensor['dataType'], number, (at: number) => number]> = {
    '<f4': ['float32', 4, (at) => view.getFloat32(at, true)],
    '<f8': ['float32', 8, (at) => view.getFloat64(at, true)],
    '<f2': ['float16', 2, (at) => float16BitsToFloat(view.getUint16(at, true))],
    '<i8': ['int64', 8, (at) => Number(view.getBigInt64(at, true))],
    '<i4': ['int32', 4, (at) => view.getInt32(at, true)],
    '|u1': ['uint8', 1, (at) => view.getUint8(at)],
    '|i1': ['int8', 1, (at) => view.getInt8(at)],
    '|b1': ['bool', 1, (at) => view.getUint8(at)],
  };
  const kind = kinds[descr];
  if (!kind) throw bad(file, `dtype ${descr} is not supported (use float32, float64, int64, int32, uint8, int8 or bool)`);
  const [dataType, size, get] = kind;
  if (body.length < count * size) throw bad(file, `truncated: ${count} values need ${count * size} bytes`);
  return { dataType, dims, values: Array.from({ length: count }, (_, i) => get(i * size)) };
}

/** An ONNX TensorProto serialized on its own (onnx.numpy_helper.from_array(...).SerializeToString()). */
export function readPb(file: string): { name: string; tensor: FeedTensor } {
  const source = new BufferByteSource(fs.readFileSync(file), file);
  const reader = new WireReader(source);
  const { name, ref } = decodeTensor({ reader, resolveExternal: () => { throw bad(file, 'external data in calibration tensors is not supported'); }, warnings: [] }, source.size);
  const values = readTensorData(source, ref);
  if (Array.isArray(values)) throw bad(file, 'string tensors cannot be model inputs here');
  const dataType = ref.dataType === 'float64' ? 'float32' : ref.dataType;
  if (!['float32', 'float16', 'int64', 'int32', 'uint8', 'int8', 'bool'].includes(dataType)) throw bad(file, `tensor type ${ref.dataType} is not supported`);
  const numbers = Array.from(values as ArrayLike<number | bigint>, Number);
  return { name, tensor: { dataType: dataType as FeedTensor['dataType'], dims: [...ref.dims], values: numbers } };
}
