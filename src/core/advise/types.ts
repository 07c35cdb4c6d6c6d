/** Plain data returned by the advisor; the extension maps each action to a command. */

export type AdviceAction = 'quantize-int8' | 'quantize-int8-static' | 'quantize-int4' | 'prune-2:4' | 'prune-structured' | 'fp16' | 'fuse' | 'power-cap';

/** What limits a layer on the chosen profile (from its roofline bound). */
export type LayerRole = 'compute-bound' | 'memory-bound' | 'overhead-bound' | 'unknown';

export interface Recommendation {
  /** The node's name. */
  readonly layer: string;
  readonly action: AdviceAction;
  readonly title: string;
  readonly reason: string;
  /** Joules per inference saved, from re-costing the changed layer on the same profile. */
  readonly savingJ: number;
  /** savingJ as a share of the model's total energy, 0..1. */
  readonly savingShare: number;
  /** For 'power-cap': the cap, W. */
  readonly capW?: number;
}

export interface ModelRecommendation {
  readonly scope: 'model';
  readonly action: AdviceAction;
  readonly title: string;
  readonly reason: string;
  /** Joules per inference saved, from re-costing the whole model with every listed layer changed. */
  readonly savingJ: number;
  readonly savingShare: number;
  /** The layers the change applies to. */
  readonly layers: readonly string[];
  readonly capW?: number;
  /** Latency change as a ratio (1.05 = 5% slower); present for power caps. */
  readonly latencyRatio?: number;
}

export interface LayerRoleEntry {
  readonly layer: string;
  readonly role: LayerRole;
  readonly energyJ: number;
}

export interface Advice {
  readonly profile: string;
  readonly totalJ: number;
  readonly roles: readonly LayerRoleEntry[];
  /** Ranked by saving, largest first. */
  readonly recommendations: readonly Recommendation[];
  readonly model: readonly ModelRecommendation[];
}

export interface AdviceOptions {
  /** Channels removed by structured pruning, 0..1 (default 0.25). */
  readonly structuredFraction?: number;
  /** Largest slowdown accepted by a per-layer power cap (default 0.05 = 5%). */
  readonly layerMaxSlowdown?: number;
  /** Largest slowdown accepted by a whole-model power cap (default 0.10). */
  readonly modelMaxSlowdown?: number;
  /** Drop recommendations saving less than this share of the model's energy (default 0.001). */
  readonly minShare?: number;
}
