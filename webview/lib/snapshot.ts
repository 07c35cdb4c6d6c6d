// A page as a static HTML document for the "Export HTML" buttons: text through the DOM serializer
// (never re-parsed here), charts as PNG images, controls removed, the theme's colours kept.

/** The stylesheet text when the browser lets us read it (a cross-origin sheet throws). */
function styleText(): string {
  const parts: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      parts.push(Array.from(sheet.cssRules, (r) => r.cssText).join('\n'));
    } catch {
      /* cross-origin stylesheet: the export keeps its structure without these rules */
    }
  }
  return parts.join('\n');
}

/** VS Code puts the theme's --vscode-* variables in the html element's style attribute. */
function themeVariables(): string {
  const root = document.documentElement.getAttribute('style') ?? '';
  const computed = getComputedStyle(document.documentElement);
  const names = ['--vscode-foreground', '--vscode-editor-background', '--vscode-font-family', '--vscode-font-size', '--vscode-editorWidget-border', '--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-yellow', '--vscode-charts-orange', '--vscode-charts-purple'];
  const vars = names.map((n) => [n, computed.getPropertyValue(n).trim()] as const).filter(([, v]) => v !== '');
  return `${root}; ${vars.map(([n, v]) => `${n}: ${v}`).join('; ')}`;
}

export function snapshotHtml(root: HTMLElement, title: string): string {
  const copy = root.cloneNode(true) as HTMLElement;
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
  style.textContent = `html { ${themeVariables()} }\n${styleText()}\n.lt-viewport { height: auto !important; max-height: none !important; }`;
  head.append(meta, csp, titleEl, style);
  const body = document.createElement('body');
  body.setAttribute('data-page', document.body.getAttribute('data-page') ?? '');
  body.appendChild(copy);
  return `<!DOCTYPE html>\n<html lang="en">${head.outerHTML}${body.outerHTML}</html>`;
}
