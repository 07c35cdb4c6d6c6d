// A tiny static server on 127.0.0.1 for the preview: the generated pages, the built page scripts
// (dist/webview) and media/, so scripts and styles are same-origin and the CSP's source is 'self'.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

export interface PreviewServer {
  readonly origin: string;
  setPage(name: string, html: string): void;
  close(): Promise<void>;
}

export async function startServer(root: string): Promise<PreviewServer> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/favicon.ico') return send(204, 'text/plain', ''); // the browser asks; a webview never does
    const page = /^\/page\/([\w-]+)\.html$/.exec(url.pathname);
    if (page) {
      const html = pages.get(page[1]!);
      return html === undefined ? send(404, 'text/plain', 'no such page') : send(200, 'text/html; charset=utf-8', html);
    }
    // Only the two folders a real webview may load from (webviewRoots).
    if (!/^\/(dist\/webview|media)\/[\w.-]+$/.test(url.pathname)) return send(404, 'text/plain', 'not served');
    const file = path.join(root, url.pathname);
    if (!fs.existsSync(file)) return send(404, 'text/plain', 'missing');
    return send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setPage: (name, html) => void pages.set(name, html),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
