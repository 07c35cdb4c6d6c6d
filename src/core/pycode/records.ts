/**
 * Mutable working records the scanner fills while it walks a file; analyzePythonSource turns them into
 * the plain read-only SourceAnalysis at the end.
 */
import type { SyntaxNode } from '@lezer/common';
import type { LayerArgs } from './layerArgs';
import type { LayerRule } from './layerRule';
import type { Shape, SourceFramework } from './types';

export interface LayerRecord {
  readonly call: SyntaxNode;
  readonly argList: SyntaxNode;
  readonly framework: SourceFramework;
  readonly kind: string;
  readonly rule?: LayerRule;
  readonly args?: LayerArgs;
  variable: string;
  readonly dtypeBytes: number;
  readonly dtypeName?: string;
  params?: number;
  buffers?: number;
  /** Why parameters are unknown, or other construction-time remarks. */
  notes: string[];
  /** Keras `input_shape=` / `input_dim=` given on the layer (batch 1 prepended). */
  readonly declaredInput?: Shape;
  /** Shape propagation results, summed over calls. */
  usage?: LayerUsage;
  /** Why shapes did not reach this layer (set by the model that owns it). */
  shapeNote?: string;
  /** Index of the model whose totals include this layer. */
  owner?: number;
  /** `nn.ModuleList([Block() for _ in range(n)])`: one construction standing for n instances. */
  copies?: number;
}

export interface LayerUsage {
  calls: number;
  inputShape: Shape;
  extraInputShapes: Shape[];
  outputShape: Shape;
  macs: number;
  elementwise: number;
  transcendental: number;
  inputElements: number;
  outputElements: number;
  weightsRead?: number;
  gemm?: { readonly m: number; readonly n: number; readonly k: number; readonly batch: number };
  inputIds: string[];
  outputIds: string[];
  note?: string;
}

/** A member of a Sequential, ModuleList or Keras Sequential, in call order. */
export type ContainerMember =
  | { readonly kind: 'layer'; readonly index: number }
  | { readonly kind: 'container'; readonly container: ContainerRecord }
  | { readonly kind: 'opaque'; readonly reason: string };

export interface ContainerRecord {
  readonly framework: SourceFramework;
  /** 'sequential' runs members in order; 'list' (ModuleList) only holds them. */
  readonly kind: 'sequential' | 'list';
  readonly call: SyntaxNode;
  variable: string;
  readonly members: ContainerMember[];
  /** Keras: from `keras.Input(shape=…)` / `InputLayer` inside the list or `input_shape=` on the first layer. */
  declaredInput?: Shape;
  declaredInputSource?: 'keras-input' | 'input_shape';
}

/** What a name or `self.attribute` refers to, besides constants. */
export type Binding =
  | { readonly kind: 'layer'; readonly index: number }
  | { readonly kind: 'container'; readonly container: ContainerRecord }
  | { readonly kind: 'custom'; readonly className: string };
