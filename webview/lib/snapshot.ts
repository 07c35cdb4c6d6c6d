// A page as a static HTML document for the "Export HTML" buttons: text through the DOM serializer
// (never re-parsed here), charts as PNG images, controls removed, the theme's colours kept.

/** VS Code puts the theme's --vscode-* variables in the html element's style attribute. */
function themeVariables(): string {
  const root = document.documentElement.getAttribute('style') ?? '';
  const computed = getComputedStyle(document.documentElement);
  const names = ['--vscode-foreground', '--vscode-editor-background', '--vscode-font-family', '--vscode-font-size', '--vscode-editorWidget-border', '--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-yellow', '--vscode-charts-orange', '--vscode-charts-purple'];
  const vars = names.map((n) => [n, computed.getPropertyValue(n).trim()] as const).filter(([, v]) => v !== '');
  return `${root}; ${vars.map(([n, v]) => `${n}: ${v}`).join('; ')}`;
}

/**
 * The export's own small stylesheet: a static document lays out as a plain flow (the page's rules
 * size a virtual table and fixed panes, and in VS Code its stylesheet is another origin's anyway).
 */
const EXPORT_CSS = `
body { color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: 13px; margin: 16px; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; } .stat { border: 1px solid #8884; padding: 6px 10px; } .stat-value { font-size: 1.25em; font-weight: 600; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid #8883; } td.num { text-align: right; }
.split-bar { display: flex; height: 10px; width: 160px; } .split-bar.big { width: 640px; height: 14px; } .seg, .swatch { display: inline-block; height: 100%; }
.swatch { width: 10px; height: 10px; } .seg.compute, .swatch.compute { background: #3794ff; } .seg.onchip, .swatch.onchip { background: #89d185; }
.seg.offchip, .swatch.offchip { background: #f14c4c; } .seg.static, .swatch.static { background: #cca700; }
figure { margin: 10px 0; } img { max-width: 720px; } .charts { display: flex; flex-wrap: wrap; gap: 12px; } .charts figure { flex: 1 1 360px; }
.legend { display: flex; gap: 14px; } .details { margin-top: 16px; } .details img { max-width: 420px; } .note { opacity: 0.8; font-style: italic; } h2 { font-size: 1.1em; }
`;

export function snapshotHtml(root: HTMLElement, title: string, adjust?: (copy: HTMLElement) => void): string {
  const copy = root.cloneNode(true) as HTMLElement;
  adjust?.(copy);
  const originals = root.querySelectorAll('canvas');
  copy.querySelectorAll('canvas').forEach((c, i) => {
    const img = document.createElement('img');
    const original = originals[i]!;
    img.src = original.toDataURL('image/png');
    img.alt = original.getAttribute('aria-label') ?? 'chart';
    img.style.width = '100%';
    c.replaceWith(img);
  });
  copy.querySelectorAll('button, select, input, .toolbar, .spinner').forEach((e) => e.remove());
  const head = document.createElement('head');
  const meta = document.createElement('meta');
  meta.setAttribute('charset', 'utf-8');
  const csp = document.createElement('meta');
  csp.httpEquiv = 'Content-Security-Policy';
  csp.content = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";
  const titleEl = document.createElement('title');
  titleEl.textContent = title;
  const style = document.createElement('style');
  style.textContent = `html { ${themeVariables()} }\n${EXPORT_CSS}`;
  head.append(meta, csp, titleEl, style);
  const body = document.createElement('body');
  body.setAttribute('data-page', document.body.getAttribute('data-page') ?? '');
  body.appendChild(copy);
  return `<!DOCTYPE html>\n<html lang="en">${head.outerHTML}${body.outerHTML}</html>`;
}
