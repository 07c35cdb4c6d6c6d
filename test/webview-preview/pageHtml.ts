// The preview's copy of src/extension/webviewHtml.ts: the same CSP and page shape, with cspSource
// 'self' (files come from the preview's own server) plus two nonce'd additions VS Code makes
// itself in a real webview: the theme's --vscode-* variables and acquireVsCodeApi (here a stub
// that records what the page posts and answers `ready` like the extension host).
import type { PageData } from './fixtures';

export const PREVIEW_NONCE = 'cHJldmlldy1ub25jZQ';

export type ThemeName = 'dark' | 'light';

/** A few variables of VS Code's Dark Modern and Light Modern themes, enough to judge contrast. */
const THEMES: Record<ThemeName, Record<string, string>> = {
  dark: {
    'foreground': '#cccccc', 'editor-background': '#1f1f1f', 'descriptionForeground': '#9d9d9d',
    'editorWidget-background': '#202020', 'editorWidget-border': '#454545', 'focusBorder': '#0078d4',
    'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
    'list-inactiveSelectionBackground': '#37373d', 'errorForeground': '#f85149', 'textLink-foreground': '#4daafc',
    'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
    'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
    'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
    'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
    'charts-blue': '#3794ff', 'charts-red': '#f14c4c', 'charts-green': '#89d185', 'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-purple': '#b180d7',
    'progressBar-background': '#0078d4', 'widget-border': '#313131', 'panel-border': '#2b2b2b',
    'font-family': 'system-ui, "Segoe UI", "Ubuntu", sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
  },
  light: {
    'foreground': '#3b3b3b', 'editor-background': '#ffffff', 'descriptionForeground': '#3b3b3b',
    'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8', 'focusBorder': '#005fb8',
    'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
    'list-inactiveSelectionBackground': '#e4e6f1', 'errorForeground': '#f85149', 'textLink-foreground': '#005fb8',
    'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
    'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
    'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
    'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
    'charts-blue': '#1a85ff', 'charts-red': '#e51400', 'charts-green': '#388a34', 'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-purple': '#652d90',
    'progressBar-background': '#005fb8', 'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5',
    'font-family': 'system-ui, "Segoe UI", "Ubuntu", sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
  },
};

/** JSON that is safe inside a <script> element: no '<' can close it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function stubScript(page: string, data: PageData): string {
  return `(() => {
  const DATA = ${scriptJson(data)};
  const key = 'joule-preview-state:${page}';
  const rec = (window.__joule = { posted: [], csp: [], received: 0 });
  document.addEventListener('securitypolicyviolation', (e) => rec.csp.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + (e.sourceFile || '') + ':' + e.lineNumber + ' ' + (e.sample || '')));
  const send = (m) => setTimeout(() => { rec.received++; if (rec.sentAt === undefined) rec.sentAt = performance.now(); window.postMessage(m, '*'); }, 0);
  const nativeAlert = window.alert.bind(window);
  window.alert = (m) => { window.__alerted = true; nativeAlert(m); };
  new MutationObserver((_, obs) => {
    if (document.querySelector('.lt-row')) { rec.firstRowAt = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage(m) {
        rec.posted.push(JSON.parse(JSON.stringify(m)));
        // Like the extension host, remember the picked profile across reloads of the page.
        const picked = sessionStorage.getItem(key + ':profile');
        if (m.type === 'ready') { send((picked && DATA.byProfile && DATA.byProfile[picked]) || DATA.initial); for (const f of DATA.followUps || []) send(f); }
        else if (m.type === 'selectProfile' && DATA.byProfile && DATA.byProfile[m.id]) {
          sessionStorage.setItem(key + ':profile', m.id);
          send({ type: 'busy', message: 'Analysing on ' + m.id + '…' });
          setTimeout(() => send(DATA.byProfile[m.id]), 300);
        }
      },
      getState() { const s = sessionStorage.getItem(key); return s === null ? undefined : JSON.parse(s); },
      setState(s) { sessionStorage.setItem(key, JSON.stringify(s)); },
    };
  };
})();`;
}

/** The page as webviewHtml builds it, for `page` (report, bench, summary) under `theme`. */
export function previewHtml(page: 'report' | 'bench' | 'summary', data: PageData, theme: ThemeName, stateKey = page): string {
  const csp = ["default-src 'none'", "img-src 'self' data:", `style-src 'self' 'nonce-${PREVIEW_NONCE}'`, "font-src 'self'", `script-src 'nonce-${PREVIEW_NONCE}'`, ...(page === 'report' ? ["connect-src 'self'", 'worker-src blob:'] : [])].join('; ');
  const vars = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${PREVIEW_NONCE}">html { ${vars} }</style>
<link rel="stylesheet" href="/media/webview.css">
<title>Joule preview: ${page}</title>
<script nonce="${PREVIEW_NONCE}">${stubScript(stateKey, data)}</script>
</head>
<body data-page="${page}" class="vscode-${theme}">
<div id="app" role="main"></div>
<script nonce="${PREVIEW_NONCE}" src="/dist/webview/${page}.js"></script>
</body>
</html>`;
}
