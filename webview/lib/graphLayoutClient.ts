// Runs the layout in a Web Worker. A webview's scripts are served from another origin than the page,
// and browsers refuse `new Worker(crossOriginUrl)`; so the worker's script is fetched (connect-src)
// and started from a blob: URL (worker-src blob:). Neither needs eval. Where a worker cannot start,
// the layout runs on the page instead, and the status line says so.
import type { LayoutReply, LayoutRequest } from '../graphLayout.worker';
import { layoutGraph, type Layout, type LayoutInput } from './graphLayout';

export interface LayoutResult {
  readonly layout: Layout;
  readonly ms: number;
  readonly where: 'worker' | 'page';
}

export class LayoutClient {
  private worker: Promise<Worker | undefined> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (r: LayoutReply) => void>();

  /** @param scriptUrl URL of dist/webview/graphLayout.worker.js (beside the page's own script). */
  constructor(private readonly scriptUrl: string | undefined) {}

  private start(): Promise<Worker | undefined> {
    this.worker ??= (async () => {
      if (!this.scriptUrl || typeof Worker === 'undefined') return undefined;
      try {
        const response = await fetch(this.scriptUrl);
        if (!response.ok) return undefined;
        const blob = new Blob([await response.text()], { type: 'text/javascript' });
        const worker = new Worker(URL.createObjectURL(blob));
        worker.onmessage = (e: MessageEvent<LayoutReply>) => {
          this.pending.get(e.data.id)?.(e.data);
          this.pending.delete(e.data.id);
        };
        return worker;
      } catch {
        return undefined;
      }
    })();
    return this.worker;
  }

  async layout(input: LayoutInput): Promise<LayoutResult> {
    const worker = await this.start();
    if (!worker) {
      const started = performance.now();
      const layout = layoutGraph(input);
      return { layout, ms: performance.now() - started, where: 'page' };
    }
    const id = this.nextId++;
    const reply = await new Promise<LayoutReply>((resolve) => {
      this.pending.set(id, resolve);
      const request: LayoutRequest = { id, input };
      worker.postMessage(request);
    });
    return { layout: reply.layout, ms: reply.ms, where: 'worker' };
  }
}
