// The page's side of the message protocol: one typed wrapper over acquireVsCodeApi().
import type { HostToWebview, WebviewToHost } from '../../src/core/protocol';

interface VsCodeApi<S> {
  postMessage(message: WebviewToHost): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export interface Host<S> {
  post(message: WebviewToHost): void;
  /** Saved page state (restored after a reload or when the panel was hidden). */
  state(): Partial<S>;
  saveState(patch: Partial<S>): void;
  onMessage(handler: (message: HostToWebview) => void): void;
}

export function connect<S>(): Host<S> {
  const api = acquireVsCodeApi<Partial<S>>();
  return {
    post: (message) => api.postMessage(message),
    state: () => api.getState() ?? {},
    saveState: (patch) => api.setState({ ...(api.getState() ?? {}), ...patch }),
    onMessage: (handler) => window.addEventListener('message', (e: MessageEvent<HostToWebview>) => handler(e.data)),
  };
}
