/**
 * Plain-data results of the Python model-code analysis. The extension turns them into inlay hints,
 * hovers, CodeLens, diagnostics and code actions; the CLI prints them. Positions are 0-based lines and
 * UTF-16 characters, as VS Code's Position counts them.
 */
import type { LayerCost } from '../cost/types';

export interface SourcePosition {
  readonly line: number;
  readonly character: number;
}

export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

export type SourceFramework = 'pytorch' | 'keras';

/** A tensor shape with every dimension known, batch first (Keras' implicit batch becomes 1). */
export type Shape = readonly number[];

export interface SourceLayer {
  /** The construction call, e.g. `nn.Conv2d(3, 64, 7)`. */
  readonly range: SourceRange;
  /** The argument list with its parentheses. */
  readonly argsRange: SourceRange;
  readonly framework: SourceFramework;
  /** Class name as the framework spells it: 'Conv2d', 'Dense', 'LSTM'. */
  readonly kind: string;
  /** Where the layer lives: `self.conv1`, `fc`, `features[0]`, or `Dense@12` when unnamed. */
  readonly variable: string;
  /**
   * Trainable parameters, as `sum(p.numel() for p in m.parameters())` (PyTorch) or Keras' trainable
   * count. Undefined when an argument (or, for Keras, the input shape) could not be resolved.
   */
  readonly params?: number;
  /** Non-trainable state read at inference: BatchNorm running mean and variance (2 per channel). */
  readonly buffers?: number;
  /** Bytes of the trainable parameters at the layer's dtype (fp32 unless `dtype=` or the option says). */
  readonly weightBytes?: number;
  readonly dtypeBytes: number;
  readonly inputShape?: Shape;
  readonly outputShape?: Shape;
  /** Multiply-accumulates per inference (summed over every call in forward()). */
  readonly macs?: number;
  readonly cost?: LayerCost;
  /** Why something is missing or approximate. */
  readonly note?: string;
}

export interface ModelTotals {
  readonly params: number;
  readonly buffers: number;
  readonly weightBytes: number;
  /** Present only when every layer of the model has known MACs. */
  readonly macs?: number;
}

export interface SourceModel {
  /** Class name, or the variable a Sequential / keras.Model is assigned to. */
  readonly name: string;
  readonly kind: 'class' | 'sequential' | 'functional';
  readonly framework: SourceFramework;
  /** The whole definition (class body, Sequential call, or keras.Model call). */
  readonly range: SourceRange;
  /** Where a CodeLens belongs: the class name or the assigned variable. */
  readonly nameRange: SourceRange;
  readonly inputShape?: Shape;
  /** Where the input shape came from, when known. */
  readonly inputShapeSource?: 'comment' | 'option' | 'keras-input' | 'input_shape';
  readonly layerIndices: readonly number[];
  readonly totals: ModelTotals;
  /** Why shapes could not be propagated, when they could not. */
  readonly shapeNote?: string;
  /** Layers whose parameters are unknown, so totals are a lower bound. */
  readonly unresolvedLayers: number;
}

export interface SourceWarning {
  readonly range: SourceRange;
  readonly message: string;
}

export interface SourceAnalysis {
  readonly layers: readonly SourceLayer[];
  readonly models: readonly SourceModel[];
  readonly warnings: readonly SourceWarning[];
}

export interface AnalyzeSourceOptions {
  /** Full input shape including batch, used for models without a comment or Keras input. */
  readonly inputShape?: readonly number[];
  /** Bytes per weight when the code gives no dtype (default 4, fp32). */
  readonly dtypeBytes?: number;
}

export interface TextEdit {
  readonly range: SourceRange;
  readonly newText: string;
}

export type FixKind = 'quantize-dynamic' | 'prune-l1' | 'prune-structured' | 'tfmot-quantize' | 'tfmot-prune' | 'qat';

export interface FixSuggestion {
  readonly title: string;
  readonly kind: FixKind;
  readonly edits: readonly TextEdit[];
  readonly isPreferred?: boolean;
  /** One sentence on what the fix does and what to check afterwards. */
  readonly detail: string;
}
