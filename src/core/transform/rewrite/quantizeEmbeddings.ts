/**
 * int8 storage of lookup tables (token and position embeddings), which in transformers hold a large
 * share of the weights but feed no MatMul. Per row (one scale per vocabulary entry, symmetric):
 *   Gather(table, ids)       -> Gather(int8 table, ids) -> Cast -> Mul(Gather(row scales, ids))
 *   Slice(table, ...) (rows) -> DequantizeLinear(int8 table, row scales, axis 0) -> Slice
 * Gather reads only the looked-up rows, so nothing is dequantized that is not used.
 */
import { quantizeTensor } from '../math/quantParams';
import type { WorkingModel } from '../workingModel';
import { attrInt, intAttr, makeNode } from '../workingModel';
import type { LayerDecision } from './linearLayers';

export function quantizeEmbeddings(wm: WorkingModel, options: { exclude?: readonly string[]; minElements?: number }): LayerDecision[] {
  const exclude = new Set(options.exclude ?? []);
  const decisions: LayerDecision[] = [];
  for (const name of [...wm.initializers.keys()]) {
    const info = wm.initializerInfo(name)!;
    if (info.dataType !== 'float32' || info.dims.length !== 2) continue;
    const readers = wm.consumers(name);
    const isTable = readers.length > 0 && readers.every((n) => n.domain === '' && n.inputs[0] === name
      && ((n.opType === 'Gather' && attrInt(n, 'axis', 0) === 0) || n.opType === 'Slice'));
    if (!isTable) continue;
    const elements = info.dims[0]! * info.dims[1]!;
    const skip = readers.find((n) => exclude.has(n.name) || exclude.has(n.opType));
    if (skip || elements < (options.minElements ?? 0)) {
      for (const n of readers) decisions.push({ node: n.name, opType: n.opType, action: 'skipped', reason: skip ? 'excluded by the user' : `table has ${elements} elements, below the minimum` });
      continue;
    }
    const q = quantizeTensor(wm.floatValues(name), info.dims, 'int8', { axis: 0, symmetric: true, narrow: true });
    const table = wm.addInitializer(`${name}_int8`, 'int8', info.dims, q.values);
    const rows = info.dims[0]!;
    for (const reader of readers) {
      const base = reader.name;
      if (reader.opType === 'Gather') {
        const scales = wm.addInitializer(`${name}_row_scale`, 'float32', [rows, 1], q.scales);
        const ids = reader.inputs[1]!;
        const [codes, widened, rowScale] = [wm.uniqueName(`${base}_codes`), wm.uniqueName(`${base}_codes_float`), wm.uniqueName(`${base}_row_scale`)];
        wm.replaceNode(reader, [
          makeNode(`${base}_int8`, 'Gather', [table, ids], [codes], { axis: intAttr(0) }),
          makeNode(`${base}_to_float`, 'Cast', [codes], [widened], { to: intAttr(1) }),
          makeNode(`${base}_gather_scale`, 'Gather', [scales, ids], [rowScale], { axis: intAttr(0) }),
          makeNode(`${base}_rescale`, 'Mul', [widened, rowScale], [reader.outputs[0]!]),
        ]);
      } else {
        if ((wm.opsets.get('') ?? 1) < 13) {
          decisions.push({ node: reader.name, opType: reader.opType, action: 'skipped', reason: 'per-row DequantizeLinear needs opset 13; the model is older' });
          continue;
        }
        const scales = wm.addInitializer(`${name}_row_scale`, 'float32', [rows], q.scales);
        const zero = wm.addInitializer(`${name}_zero_point`, 'int8', [rows], new Int32Array(rows));
        const dequantized = wm.uniqueName(`${name}_dq`);
        wm.insertBefore(reader, [makeNode(`${base}_dequantize_table`, 'DequantizeLinear', [table, scales, zero], [dequantized], { axis: intAttr(0) })]);
        reader.inputs[0] = dequantized;
      }
      decisions.push({ node: reader.name, opType: reader.opType, action: 'transformed' });
    }
  }
  wm.removeUnusedInitializers();
  return decisions;
}
