import * as path from 'node:path';
import * as vscode from 'vscode';
import { InputValueError, parseInputValues } from '../core/bench/inputValues';
import { declarationsFromFile } from '../core/bench/modelInputs';
import type { UserInput } from '../core/bench/types';
import { pickModel } from './pickModel';

const KEY = 'joule.modelInputs';

/**
 * Real input values per model (`sr=16000`, `state=/path/state.npy`), remembered in the workspace
 * (workspaceState, by model URI) and used by benchmarks and the transforms' verification; inputs not
 * named are generated.
 */
export class ModelInputsStore {
  constructor(private readonly memento: vscode.Memento) {}

  /** The `name=VALUE` entries set for the model. */
  entries(uri: vscode.Uri): readonly string[] {
    return this.memento.get<Record<string, string[]>>(KEY, {})[uri.toString()] ?? [];
  }

  async setEntries(uri: vscode.Uri, entries: readonly string[]): Promise<void> {
    const all = { ...this.memento.get<Record<string, string[]>>(KEY, {}) };
    if (entries.length === 0) delete all[uri.toString()];
    else all[uri.toString()] = [...entries];
    await this.memento.update(KEY, all);
  }

  /** The values as typed tensors, or undefined when none are set. Throws InputValueError naming the input. */
  values(uri: vscode.Uri): Record<string, UserInput> | undefined {
    const entries = this.entries(uri);
    if (entries.length === 0) return undefined;
    return parseInputValues(entries, declarationsFromFile(uri.fsPath), path.dirname(uri.fsPath));
  }
}

const GIVE_NUMBER = 'A number or comma list…';
const GIVE_FILE = 'A file (.npy, .pb, .json)…';
const GENERATE = 'Generate it';

/** Joule: Set Input Values… — per input: a number, a file, or generated. */
export async function setInputValues(store: ModelInputsStore, arg: unknown, active: vscode.Uri | undefined): Promise<readonly string[] | undefined> {
  const uri = await pickModel(arg, active, 'Set input values of which model?', { onnxOnly: true });
  if (!uri) return undefined;
  const declarations = declarationsFromFile(uri.fsPath);
  const entries = new Map(store.entries(uri).map((e) => [e.slice(0, e.indexOf('=')), e]));
  for (;;) {
    const picked = await vscode.window.showQuickPick(
      [
        ...declarations.map((d) => ({ label: d.name, description: `${d.type ?? '?'} [${d.shape.map((s) => s ?? '?').join('×')}]`, detail: entries.get(d.name) ?? 'generated' })),
        { label: 'Done', description: 'save these values for this model', detail: '' },
      ],
      { title: `Input values of ${path.basename(uri.fsPath)} (benchmarks and verification)` },
    );
    if (!picked) return undefined;
    if (picked.label === 'Done') break;
    const how = await vscode.window.showQuickPick([GIVE_NUMBER, GIVE_FILE, GENERATE], { title: `Value of ${picked.label}` });
    if (how === GENERATE) entries.delete(picked.label);
    else if (how === GIVE_NUMBER) {
      const value = await vscode.window.showInputBox({ title: `Value of ${picked.label}`, prompt: 'e.g. 16000, or 1,2,3' });
      if (value) entries.set(picked.label, `${picked.label}=${value}`);
    } else if (how === GIVE_FILE) {
      const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Tensors': ['npy', 'pb', 'json'] }, defaultUri: vscode.Uri.file(path.dirname(uri.fsPath)) });
      if (files?.[0]) entries.set(picked.label, `${picked.label}=${files[0].fsPath}`);
    }
  }
  const list = [...entries.values()];
  try {
    parseInputValues(list, declarations, path.dirname(uri.fsPath));
  } catch (e) {
    if (e instanceof InputValueError) void vscode.window.showErrorMessage(`Joule: ${e.message}`);
    else throw e;
    return undefined;
  }
  await store.setEntries(uri, list);
  return list;
}
