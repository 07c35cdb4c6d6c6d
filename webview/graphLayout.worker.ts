// The Graph view's layout worker (bundled to dist/webview/graphLayout.worker.js): lays the graph out
// off the page's main thread so a 10,000-node model never freezes the report.
import { layoutGraph, type Layout, type LayoutInput } from './lib/graphLayout';

export interface LayoutRequest {
  readonly id: number;
  readonly input: LayoutInput;
}

export interface LayoutReply {
  readonly id: number;
  readonly layout: Layout;
  /** Time the layout took inside the worker (measured). */
  readonly ms: number;
}

interface WorkerScope {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutReply, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (e) => {
  const started = performance.now();
  const layout = layoutGraph(e.data.input);
  const ms = performance.now() - started;
  scope.postMessage({ id: e.data.id, layout, ms }, [layout.x.buffer, layout.y.buffer, layout.rank.buffer, layout.points.buffer, layout.offsets.buffer]);
};
