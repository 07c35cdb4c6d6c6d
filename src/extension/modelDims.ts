import * as vscode from 'vscode';

const KEY = 'joule.modelDims';

/**
 * Symbolic dimensions set per model in the report editor, remembered in the workspace (workspaceState,
 * keyed by the model's URI). They apply on top of the `joule.dimensions` setting, for that model only.
 */
export class ModelDimsStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the model whose dimensions changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  get(uri: vscode.Uri): Readonly<Record<string, number>> {
    return this.memento.get<Record<string, Record<string, number>>>(KEY, {})[uri.toString()] ?? {};
  }

  /** Remembers `dims` for the model (an empty object forgets them). */
  async set(uri: vscode.Uri, dims: Readonly<Record<string, number>>): Promise<void> {
    const all = { ...this.memento.get<Record<string, Record<string, number>>>(KEY, {}) };
    const valid = Object.fromEntries(Object.entries(dims).filter(([, v]) => Number.isInteger(v) && v > 0));
    if (Object.keys(valid).length === 0) delete all[uri.toString()];
    else all[uri.toString()] = valid;
    await this.memento.update(KEY, all);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
