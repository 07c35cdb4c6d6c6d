/**
 * The transform modes, once: ids, labels and what each does. The CLI's --mode values, the editor's
 * pickers, the request validation and the mode recommendation all read these tables.
 */
import type { PruneMode, QuantizeMode } from '../transform/types';

export interface ModeInfo<T extends string> {
  readonly id: T;
  readonly label: string;
  readonly detail: string;
}

export const QUANTIZE_MODES: readonly ModeInfo<QuantizeMode>[] = [
  { id: 'int8-dynamic', label: 'int8 dynamic', detail: 'int8 weights, activations quantized at run time (MatMulInteger/ConvInteger). Smallest effort; ~4x smaller weights.' },
  { id: 'int8-static', label: 'int8 static (QDQ)', detail: 'int8 weights and activations, calibrated on generated or supplied inputs.' },
  { id: 'fp16', label: 'fp16', detail: 'Half-precision weights and math; float32 inputs and outputs kept.' },
  { id: 'int4', label: 'int4 weight-only', detail: 'Block-quantized MatMul weights (MatMulNBits). For transformer weights.' },
];

export const PRUNE_MODES: readonly ModeInfo<PruneMode>[] = [
  { id: 'magnitude', label: 'Magnitude (unstructured)', detail: 'Zero the smallest weights per layer. Smaller when compressed; no speedup on dense hardware.' },
  { id: '2:4', label: '2:4 structured sparsity', detail: 'Two of every four weights zero: doubles tensor-core math on Ampere and later.' },
  { id: 'structured', label: 'Structured channels', detail: 'Remove whole output channels and rewire consumers: MACs and latency really drop.' },
];

export const QUANTIZE_MODE_IDS: readonly QuantizeMode[] = QUANTIZE_MODES.map((m) => m.id);
export const PRUNE_MODE_IDS: readonly PruneMode[] = PRUNE_MODES.map((m) => m.id);

/** An advisor action (`quantize-int8-static`, `prune-2:4`, ...) or a bare mode id as a mode of `table`. */
export function modeFromAction<T extends string>(action: string | undefined, table: readonly ModeInfo<T>[]): T | undefined {
  if (!action) return undefined;
  const normalized = action.replace(/^quantize-/, '').replace(/^prune-/, '').replace(/^int8$/, 'int8-dynamic');
  return table.find((m) => m.id === normalized)?.id;
}
