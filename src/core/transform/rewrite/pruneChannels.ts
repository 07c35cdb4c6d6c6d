/**
 * Structured channel pruning that removes whole output channels of Conv / Gemm / MatMul layers and
 * rewires every tensor that carries those channels, so the pruned model is smaller and faster.
 *
 * Channels are pruned by dependency group (`channelGroups.ts`): layers whose outputs meet in a
 * residual Add or a squeeze-excitation Mul lose the same channels, with their BatchNorms, depthwise
 * convs, activations and consumers. A group is ranked by the sum of its producers' L1 norms (each
 * normalized to mean 1 and scaled by the BatchNorm that follows, as folding would), so no single
 * branch decides alone.
 */
import { channelL1Norms, channelsToKeep } from '../math/pruneMasks';
import type { WorkingModel } from '../workingModel';
import { attrFloat } from '../workingModel';
import { type ChannelGroup, findChannelGroups, outputAxis } from './channelGroups';
import { combinedKeep } from './concatGroups';
import type { LayerDecision, LinearLayer } from './linearLayers';

export interface ChannelPruneOptions {
  readonly ratio: number;
  readonly exclude?: readonly string[];
  /** Kept channel counts are rounded up to a multiple of this (default 1). */
  readonly multiple?: number;
  /** Groups with fewer channels are left alone (default 4). */
  readonly minChannels?: number;
  /** Nodes already pruned another way (attention projections); left out without a decision. */
  readonly handled?: ReadonlySet<string>;
}

export function pruneChannels(wm: WorkingModel, options: ChannelPruneOptions): { decisions: LayerDecision[]; removed: number; total: number } {
  if (!(options.ratio > 0 && options.ratio < 1)) throw new RangeError(`ratio must be in (0, 1), got ${options.ratio}`);
  const { groups, skipped, compositeEdits } = findChannelGroups(wm, { exclude: new Set(options.exclude ?? []), ...(options.handled ? { handled: options.handled } : {}) });
  const decisions: LayerDecision[] = [...skipped];
  let removed = 0;
  let total = 0;
  const keeps = new Map<number, readonly number[]>();
  for (const group of groups) {
    const decide = (action: LayerDecision['action'], reason: string): void => {
      for (const p of group.producers) decisions.push({ node: p.node.name, opType: p.node.opType, action, reason });
    };
    if (group.blocked) { decide('skipped', group.blocked); continue; }
    if (group.channels < (options.minChannels ?? 4)) { decide('skipped', `only ${group.channels} output channels`); continue; }
    const keep = channelsToKeep(groupImportance(wm, group), options.ratio, options.multiple ?? 1);
    if (keep.length === group.channels) { decide('skipped', 'ratio removes no channel at this width'); continue; }
    for (const edit of group.edits) edit(keep);
    keeps.set(group.id, keep);
    removed += group.channels - keep.length;
    total += group.channels;
    const with_ = group.producers.length > 1 ? ` (one group of ${group.producers.length} layers joined by residual or elementwise ops)` : '';
    decide('transformed', `${group.channels} -> ${keep.length} channels${with_}`);
  }
  // Readers of a Concat slice once every part's group has decided.
  for (const c of compositeEdits) {
    if (c.parts.some((p) => p.space !== undefined && keeps.has(p.space))) c.edit(combinedKeep(c.parts, (s) => keeps.get(s)));
  }
  wm.removeUnusedInitializers();
  const order = new Map(wm.nodes.map((n, i) => [n.name, i]));
  decisions.sort((a, b) => (order.get(a.node) ?? 0) - (order.get(b.node) ?? 0));
  return { decisions, removed, total };
}

/** Sum over producers of per-channel L1 norms, each normalized to mean 1 and scaled by its BatchNorm. */
function groupImportance(wm: WorkingModel, group: ChannelGroup): Float64Array {
  const total = new Float64Array(group.channels);
  for (const p of group.producers) {
    const norms = channelL1Norms(wm.floatValues(p.weight), wm.initializerInfo(p.weight)!.dims, outputAxis(p));
    const scale = batchNormScale(wm, p);
    if (scale) for (let i = 0; i < norms.length; i++) norms[i]! *= scale[i]!;
    const mean = norms.reduce((a, b) => a + b, 0) / norms.length;
    for (let i = 0; i < norms.length; i++) total[i]! += mean > 0 ? norms[i]! / mean : 0;
  }
  return total;
}

/** |gamma| / sqrt(var + eps) of a BatchNormalization that alone reads the layer's output. */
function batchNormScale(wm: WorkingModel, layer: LinearLayer): Float64Array | undefined {
  const readers = wm.consumers(layer.node.outputs[0]!);
  const bn = readers.length === 1 && readers[0]!.opType === 'BatchNormalization' ? readers[0]! : undefined;
  if (!bn || !wm.isInitializer(bn.inputs[1] ?? '') || !wm.isInitializer(bn.inputs[4] ?? '')) return undefined;
  const gamma = wm.floatValues(bn.inputs[1]!);
  const variance = wm.floatValues(bn.inputs[4]!);
  const eps = attrFloat(bn, 'epsilon', 1e-5);
  return Float64Array.from(gamma, (g, i) => Math.abs(g) / Math.sqrt(variance[i]! + eps));
}
