// Chart colours from the VS Code theme, so charts follow light, dark and high-contrast themes.

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export interface Palette {
  readonly foreground: string;
  readonly grid: string;
  readonly compute: string;
  readonly onChip: string;
  readonly offChip: string;
  readonly static: string;
  readonly measured: string;
  readonly estimated: string;
  readonly highlight: string;
}

export function palette(): Palette {
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    grid: cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
    compute: cssVar('--vscode-charts-blue', '#3794ff'),
    onChip: cssVar('--vscode-charts-green', '#89d185'),
    offChip: cssVar('--vscode-charts-red', '#f14c4c'),
    static: cssVar('--vscode-charts-yellow', '#cca700'),
    measured: cssVar('--vscode-charts-orange', '#d18616'),
    estimated: cssVar('--vscode-charts-purple', '#b180d7'),
    highlight: cssVar('--vscode-charts-red', '#f14c4c'),
  };
}

/** The energy components in the order every chart and bar stacks them. */
export const COMPONENTS = ['computeJ', 'onChipJ', 'offChipJ', 'staticJ'] as const;
export const COMPONENT_LABELS: Record<(typeof COMPONENTS)[number], string> = {
  computeJ: 'compute',
  onChipJ: 'on-chip data',
  offChipJ: 'off-chip data',
  staticJ: 'static',
};

export function componentColor(p: Palette, c: (typeof COMPONENTS)[number]): string {
  return { computeJ: p.compute, onChipJ: p.onChip, offChipJ: p.offChip, staticJ: p.static }[c];
}
