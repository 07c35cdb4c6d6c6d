// Sizes and paint shared by the layout (worker), the renderer (page) and the SVG export; no DOM here.
export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 36;

/** Colours of each node and widths of each edge, as the renderer and the SVG export draw them. */
export interface GraphPaint {
  readonly fills: readonly string[];
  readonly texts: readonly string[];
  /** Width of each edge at zoom 1. */
  readonly edgeWidths: Float32Array;
  /** A strip at each box's left edge in a second colour (the estimate beside a measured fill). */
  readonly strips?: readonly string[];
}

export interface GraphTheme {
  readonly background: string;
  readonly foreground: string;
  readonly edge: string;
  readonly border: string;
  readonly focus: string;
  readonly match: string;
  readonly font: string;
}
