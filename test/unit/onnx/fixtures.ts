/** Models built with the project's own builder, shared by the ONNX and graph tests. */
import { OnnxBuilder } from '../../../src/core/onnx/builder';

/** Conv -> Relu -> MaxPool -> Conv -> Relu -> GlobalAveragePool -> Flatten -> Gemm, batch symbolic. */
export function buildSmallCnn(options: { opset?: number; classes?: number } = {}): OnnxBuilder {
  const classes = options.classes ?? 10;
  const b = new OnnxBuilder({ opset: options.opset ?? 17 });
  const x = b.input('input', 'float32', ['batch', 3, 32, 32]);
  const [c1] = b.node('Conv', [x, b.weight('conv1.weight', [16, 3, 3, 3]), b.weight('conv1.bias', [16])],
    { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] }, { name: 'conv1' });
  const [r1] = b.node('Relu', [c1!], {}, { name: 'relu1' });
  const [p1] = b.node('MaxPool', [r1!], { kernel_shape: [2, 2], strides: [2, 2] }, { name: 'pool1' });
  const [c2] = b.node('Conv', [p1!, b.weight('conv2.weight', [32, 16, 3, 3]), b.weight('conv2.bias', [32])],
    { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, { name: 'conv2' });
  const [r2] = b.node('Relu', [c2!], {}, { name: 'relu2' });
  const [g] = b.node('GlobalAveragePool', [r2!], {}, { name: 'gap' });
  const [f] = b.node('Flatten', [g!], { axis: 1 }, { name: 'flatten' });
  const [y] = b.node('Gemm', [f!, b.weight('fc.weight', [classes, 32]), b.weight('fc.bias', [classes])],
    { transB: 1 }, { name: 'fc', outputs: ['logits'] });
  b.output(y!, 'float32', ['batch', classes]);
  return b;
}

/**
 * One pre-norm transformer block: LayerNorm -> Q/K/V MatMuls -> reshape to heads -> softmax
 * attention -> output projection -> residual -> MLP. Reshape targets are computed from Shape nodes,
 * as PyTorch exports do, so shape inference must propagate data.
 */
export function buildTransformerBlock(options: { hidden?: number; heads?: number } = {}): OnnxBuilder {
  const hidden = options.hidden ?? 32;
  const heads = options.heads ?? 4;
  const headDim = hidden / heads;
  const b = new OnnxBuilder({ opset: 17 });
  const x = b.input('hidden_states', 'float32', ['batch', 'sequence', hidden]);
  const [ln] = b.node('LayerNormalization', [x, b.weight('ln.weight', [hidden]), b.weight('ln.bias', [hidden])],
    { axis: -1, epsilon: 1e-5 }, { name: 'ln1' });
  const [shape] = b.node('Shape', [x], {}, { name: 'shape' });
  const [batch] = b.node('Gather', [shape!, b.scalar('idx0', 0, 'int64')], { axis: 0 }, { name: 'gather_batch' });
  const [seq] = b.node('Gather', [shape!, b.scalar('idx1', 1, 'int64')], { axis: 0 }, { name: 'gather_seq' });
  const axes0 = b.ints('axes0', [0]);
  const [b1] = b.node('Unsqueeze', [batch!, axes0], {}, { name: 'unsq_batch' });
  const [s1] = b.node('Unsqueeze', [seq!, axes0], {}, { name: 'unsq_seq' });
  const [headShape] = b.node('Concat', [b1!, s1!, b.ints('heads_dims', [heads, headDim])], { axis: 0 }, { name: 'head_shape' });
  const project = (tag: string): string => {
    const [mm] = b.node('MatMul', [ln!, b.weight(`${tag}.weight`, [hidden, hidden])], {}, { name: `${tag}_proj` });
    const [bias] = b.node('Add', [mm!, b.weight(`${tag}.bias`, [hidden])], {}, { name: `${tag}_bias` });
    const [r] = b.node('Reshape', [bias!, headShape!], {}, { name: `${tag}_reshape` });
    return r!;
  };
  const [q] = b.node('Transpose', [project('q')], { perm: [0, 2, 1, 3] }, { name: 'q_t' });
  const [k] = b.node('Transpose', [project('k')], { perm: [0, 2, 3, 1] }, { name: 'k_t' });
  const [v] = b.node('Transpose', [project('v')], { perm: [0, 2, 1, 3] }, { name: 'v_t' });
  const [scores] = b.node('MatMul', [q!, k!], {}, { name: 'scores' });
  const [scaled] = b.node('Mul', [scores!, b.scalar('scale', 1 / Math.sqrt(headDim))], {}, { name: 'scale_scores' });
  const [probs] = b.node('Softmax', [scaled!], { axis: -1 }, { name: 'softmax' });
  const [ctx] = b.node('MatMul', [probs!, v!], {}, { name: 'context' });
  const [ctxT] = b.node('Transpose', [ctx!], { perm: [0, 2, 1, 3] }, { name: 'context_t' });
  const [merged] = b.node('Reshape', [ctxT!, b.ints('merge_shape', [0, 0, -1])], {}, { name: 'merge_heads' });
  const [out] = b.node('MatMul', [merged!, b.weight('o.weight', [hidden, hidden])], {}, { name: 'o_proj' });
  const [res1] = b.node('Add', [x, out!], {}, { name: 'residual1' });
  const [ln2] = b.node('LayerNormalization', [res1!, b.weight('ln2.weight', [hidden]), b.weight('ln2.bias', [hidden])],
    { axis: -1, epsilon: 1e-5 }, { name: 'ln2' });
  const [up] = b.node('MatMul', [ln2!, b.weight('mlp.up', [hidden, 4 * hidden])], {}, { name: 'mlp_up' });
  const [act] = b.node('Relu', [up!], {}, { name: 'mlp_act' });
  const [down] = b.node('MatMul', [act!, b.weight('mlp.down', [4 * hidden, hidden])], {}, { name: 'mlp_down' });
  const [y] = b.node('Add', [res1!, down!], {}, { name: 'residual2', outputs: ['output'] });
  b.output(y!, 'float32', ['batch', 'sequence', hidden]);
  return b;
}
