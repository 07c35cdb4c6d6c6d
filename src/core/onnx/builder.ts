/**
 * A small ONNX model builder for fixtures, the demo and tests. It writes the protobuf wire format
 * itself (wireWriter.ts), with seeded deterministic weights that are produced lazily, so very large
 * models stream to disk.
 *
 *   const b = new OnnxBuilder({ opset: 17 });
 *   const x = b.input('input', 'float32', ['batch', 3, 224, 224]);
 *   const w = b.weight('conv1.weight', [64, 3, 7, 7]);
 *   const [y] = b.node('Conv', [x, w], { kernel_shape: [7, 7], pads: [3, 3, 3, 3] });
 *   b.output(y!);
 *   fs.writeFileSync('m.onnx', b.toBytes());
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GraphBuilder } from './graphBuilder';
import { FunctionField, ModelField, OperatorSetIdField, StringStringEntryField } from './protoFields';
import type { TensorPayload } from './tensorProtoWriter';
import { type Chunk, ProtoWriter, writeChunk } from './wireWriter';
import { irVersionFor } from './irVersion';

export { GraphBuilder } from './graphBuilder';
export type { AttrValue, TensorSpec } from './graphBuilder';

export interface OnnxBuilderOptions {
  /** Default-domain opset version (default 17). */
  readonly opset?: number;
  /** Other domains' opset versions, e.g. { 'com.microsoft': 1 }; domains used by nodes get 1 otherwise. */
  readonly opsets?: Readonly<Record<string, number>>;
  readonly producer?: string;
  readonly irVersion?: number;
  /** Seed of generated weights (default 1). */
  readonly seed?: number;
  readonly graphName?: string;
}

export interface SaveOptions {
  /**
   * Write initializers larger than `threshold` bytes (default 1024) to a file beside the model,
   * named `location` (default `<model file name>.data`).
   */
  readonly externalData?: boolean | { readonly location?: string; readonly threshold?: number };
}

interface FunctionDef {
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly string[];
  readonly body: GraphBuilder;
}


export class OnnxBuilder extends GraphBuilder {
  readonly opset: number;
  private readonly opsets = new Map<string, number>();
  private readonly metadata = new Map<string, string>();
  private readonly functions: FunctionDef[] = [];

  constructor(private readonly options: OnnxBuilderOptions = {}) {
    super(options.graphName ?? 'main', { next: 0, seed: options.seed ?? 1 });
    this.opset = options.opset ?? 17;
    for (const [d, v] of Object.entries(options.opsets ?? {})) this.opsets.set(d, v);
  }

  /** Declares an opset version for a domain ('' is the default ai.onnx domain). */
  opsetImport(domain: string, version: number): this {
    this.opsets.set(domain, version);
    return this;
  }

  metadataProp(key: string, value: string): this {
    this.metadata.set(key, value);
    return this;
  }

  /**
   * A model-local function (FunctionProto). `build` adds the body's nodes to the given graph,
   * using the function's input names; nodes then call it with `node(name, ..., { domain })`.
   */
  addFunction(def: { domain: string; name: string; inputs: readonly string[]; outputs: readonly string[]; attributes?: readonly string[] },
    build: (body: GraphBuilder) => void): this {
    const body = this.subgraph(def.name);
    build(body);
    this.functions.push({ ...def, attributes: def.attributes ?? [], body });
    return this;
  }

  private encodeModel(externalize?: (t: TensorPayload) => TensorPayload): ProtoWriter {
    const graph = this.encode(externalize);
    const domains = new Map<string, number>([['', this.opset]]);
    const used = new Set(this.domainsUsed);
    for (const f of this.functions) {
      used.add(f.domain);
      for (const d of f.body.domainsUsed) used.add(d);
    }
    for (const d of used) domains.set(d, 1);
    for (const [d, v] of this.opsets) domains.set(d, v);

    const m = new ProtoWriter();
    m.varint(ModelField.irVersion, this.options.irVersion ?? irVersionFor(this.opset));
    m.string(ModelField.producerName, this.options.producer ?? 'joule-builder');
    m.string(ModelField.producerVersion, '1');
    m.message(ModelField.graph, graph);
    for (const [domain, version] of domains) {
      m.message(ModelField.opsetImport, new ProtoWriter().string(OperatorSetIdField.domain, domain).varint(OperatorSetIdField.version, version));
    }
    for (const [key, value] of this.metadata) {
      m.message(ModelField.metadataProps, new ProtoWriter().string(StringStringEntryField.key, key).string(StringStringEntryField.value, value));
    }
    for (const f of this.functions) m.message(ModelField.functions, this.encodeFunction(f, domains));
    return m;
  }

  private encodeFunction(f: FunctionDef, domains: ReadonlyMap<string, number>): ProtoWriter {
    const w = new ProtoWriter().string(FunctionField.name, f.name).string(FunctionField.domain, f.domain);
    for (const i of f.inputs) w.string(FunctionField.input, i);
    for (const o of f.outputs) w.string(FunctionField.output, o);
    for (const a of f.attributes) w.string(FunctionField.attribute, a);
    for (const n of f.body.encodedNodes()) w.message(FunctionField.node, n);
    for (const [domain, version] of domains) {
      w.message(FunctionField.opsetImport, new ProtoWriter().string(OperatorSetIdField.domain, domain).varint(OperatorSetIdField.version, version));
    }
    return w;
  }

  /** The whole model as bytes (weights materialized: use save() for very large models). */
  toBytes(): Uint8Array {
    return this.encodeModel().toBytes();
  }

  /** Streams the model to `file`, optionally moving large initializers to an external data file. */
  save(file: string, options: SaveOptions = {}): void {
    const ext = options.externalData;
    const external: Chunk[] = [];
    let externalize: ((t: TensorPayload) => TensorPayload) | undefined;
    let location = '';
    if (ext) {
      const settings = typeof ext === 'object' ? ext : {};
      location = settings.location ?? `${path.basename(file)}.data`;
      const threshold = settings.threshold ?? 1024;
      let offset = 0;
      externalize = (t) => {
        if (!t.raw || t.raw.length <= threshold) return t;
        // Align each tensor to 64 bytes so readers may map them directly.
        const pad = (64 - (offset % 64)) % 64;
        if (pad) external.push(new Uint8Array(pad));
        offset += pad;
        external.push(t.raw);
        const ref = { location, offset, length: t.raw.length };
        offset += t.raw.length;
        return { name: t.name, dataType: t.dataType, dims: t.dims, external: ref };
      };
    }
    const model = this.encodeModel(externalize);
    writeStream(file, (fd) => model.writeTo(fd));
    if (ext) writeStream(path.join(path.dirname(file), location), (fd) => external.forEach((c) => writeChunk(fd, c)));
  }
}

function writeStream(file: string, write: (fd: number) => void): void {
  const fd = fs.openSync(file, 'w');
  try {
    write(fd);
  } finally {
    fs.closeSync(fd);
  }
}
