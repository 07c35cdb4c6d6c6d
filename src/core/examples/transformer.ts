/**
 * A small transformer encoder as PyTorch exports one at opset 17: token embedding Gather, position
 * embeddings sliced to the sequence length (Shape → Gather → Slice), pre-norm blocks with
 * MatMul/Add/Softmax attention, LayerNormalization and an erf-GELU MLP. Batch and sequence are
 * symbolic, so shape inference must propagate shape data.
 */
import { OnnxBuilder } from '../onnx/builder';

export interface TransformerOptions {
  readonly vocab?: number;
  readonly hidden?: number;
  readonly heads?: number;
  readonly layers?: number;
  /** MLP width (default 4 × hidden). */
  readonly ffn?: number;
  readonly maxPositions?: number;
  readonly batch?: number | string;
  readonly sequence?: number | string;
  readonly seed?: number;
}

export function buildTransformerEncoder(options: TransformerOptions = {}): OnnxBuilder {
  const vocab = options.vocab ?? 1000;
  const hidden = options.hidden ?? 64;
  const heads = options.heads ?? 4;
  const ffn = options.ffn ?? 4 * hidden;
  const headDim = hidden / heads;
  const b = new OnnxBuilder({ opset: 17, seed: options.seed ?? 1, producer: 'joule-examples', graphName: 'transformer_encoder' });
  const batch = options.batch ?? 'batch';
  const sequence = options.sequence ?? 'sequence';
  const ids = b.input('input_ids', 'int64', [batch, sequence]);
  const n = (op: string, inputs: string[], name: string, attrs: Parameters<OnnxBuilder['node']>[2] = {}): string =>
    b.node(op, inputs, attrs, { name })[0]!;

  const tokens = n('Gather', [b.weight('embeddings.word.weight', [vocab, hidden]), ids], '/embeddings/word/Gather', { axis: 0 });
  const idsShape = n('Shape', [ids], '/embeddings/Shape');
  const seqLen = n('Gather', [idsShape, b.ints('embeddings.seq_axis', [1])], '/embeddings/Gather_seq', { axis: 0 });
  const positions = n('Slice', [b.weight('embeddings.position.weight', [options.maxPositions ?? 512, hidden]),
    b.ints('embeddings.slice_start', [0]), seqLen, b.ints('embeddings.slice_axes', [0])], '/embeddings/position/Slice');
  let x = n('Add', [tokens, positions], '/embeddings/Add');

  // Node scopes as torch names them: `/encoder/layers.0/attn/q/MatMul` for module `encoder.layers.0.attn.q`.
  const scopeOf = (module: string): string => `/${module.split('.').reduce<string[]>((parts, part) => {
    if (/^\d+$/.test(part) && parts.length > 0) parts[parts.length - 1] += `.${part}`;
    else parts.push(part);
    return parts;
  }, []).join('/')}`;
  const layerNorm = (prefix: string, input: string): string => n('LayerNormalization',
    [input, b.weight(`${prefix}.weight`, [hidden], new Float32Array(hidden).fill(1)), b.weight(`${prefix}.bias`, [hidden], new Float32Array(hidden))],
    `${scopeOf(prefix)}/LayerNormalization`, { axis: -1, epsilon: 1e-5 });
  const linear = (prefix: string, input: string, inF: number, outF: number): string => {
    const scope = scopeOf(prefix);
    const mm = n('MatMul', [input, b.weight(`${prefix}.weight`, [inF, outF])], `${scope}/MatMul`);
    return n('Add', [mm, b.weight(`${prefix}.bias`, [outF])], `${scope}/Add`);
  };

  const headShape = b.ints('attention.head_shape', [0, 0, heads, headDim]);
  const mergeShape = b.ints('attention.merge_shape', [0, 0, hidden]);
  for (let l = 0; l < (options.layers ?? 2); l++) {
    const p = `encoder.layers.${l}`;
    const s = `/encoder/layers.${l}`;
    const h = layerNorm(`${p}.norm1`, x);
    const split = (name: string, perm: number[]): string =>
      n('Transpose', [n('Reshape', [linear(`${p}.attn.${name}`, h, hidden, hidden), headShape], `${s}/attn/${name}/Reshape`)],
        `${s}/attn/${name}/Transpose`, { perm });
    const q = split('q', [0, 2, 1, 3]);
    const k = split('k', [0, 2, 3, 1]);
    const v = split('v', [0, 2, 1, 3]);
    const scores = n('MatMul', [q, k], `${s}/attn/MatMul_scores`);
    const scaled = n('Mul', [scores, b.scalar(`${p}.attn.scale`, 1 / Math.sqrt(headDim))], `${s}/attn/Mul_scale`);
    const probs = n('Softmax', [scaled], `${s}/attn/Softmax`, { axis: -1 });
    const context = n('MatMul', [probs, v], `${s}/attn/MatMul_context`);
    const merged = n('Reshape', [n('Transpose', [context], `${s}/attn/Transpose_context`, { perm: [0, 2, 1, 3] }), mergeShape],
      `${s}/attn/Reshape_merge`);
    x = n('Add', [x, linear(`${p}.attn.out`, merged, hidden, hidden)], `${s}/Add_attn`);
    const up = linear(`${p}.mlp.fc1`, layerNorm(`${p}.norm2`, x), hidden, ffn);
    // GELU as exported at opset 17: 0.5·x·(1 + erf(x/√2)).
    const erf = n('Erf', [n('Div', [up, b.scalar(`${p}.mlp.sqrt2`, Math.SQRT2)], `${s}/mlp/act/Div`)], `${s}/mlp/act/Erf`);
    const gelu = n('Mul', [n('Mul', [up, n('Add', [erf, b.scalar(`${p}.mlp.one`, 1)], `${s}/mlp/act/Add`)], `${s}/mlp/act/Mul`),
      b.scalar(`${p}.mlp.half`, 0.5)], `${s}/mlp/act/Mul_1`);
    x = n('Add', [x, linear(`${p}.mlp.fc2`, gelu, ffn, hidden)], `${s}/Add_mlp`);
  }
  const out = b.node('LayerNormalization', [x, b.weight('norm.weight', [hidden], new Float32Array(hidden).fill(1)),
    b.weight('norm.bias', [hidden], new Float32Array(hidden))], { axis: -1, epsilon: 1e-5 }, { name: '/norm/LayerNormalization', outputs: ['last_hidden_state'] })[0]!;
  b.output(out, 'float32', [batch, sequence, hidden]);
  return b;
}
