import * as vscode from 'vscode';
import { findModelFiles, isModelFile } from './modelFiles';

/**
 * The model a command acts on: the argument (from a menu or the report), else the active report or
 * editor, else the user's pick among the workspace's models.
 */
export async function pickModel(arg: unknown, activeReport: vscode.Uri | undefined, title: string, options: { onnxOnly?: boolean } = {}): Promise<vscode.Uri | undefined> {
  const fits = (uri: vscode.Uri) => isModelFile(uri) && (!options.onnxOnly || uri.path.toLowerCase().endsWith('.onnx'));
  const given = arg instanceof vscode.Uri ? arg : arg && typeof arg === 'object' && 'resourceUri' in arg && (arg as { resourceUri: unknown }).resourceUri instanceof vscode.Uri ? (arg as { resourceUri: vscode.Uri }).resourceUri : undefined;
  if (given && fits(given)) return given;
  if (given && options.onnxOnly) {
    // onnxruntime runs ONNX only: say so rather than failing inside the worker.
    void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(given)}: benchmarks and transforms run ONNX models (onnxruntime); this format is analysed only.`);
    return undefined;
  }
  if (activeReport && fits(activeReport)) return activeReport;
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (editorUri && fits(editorUri)) return editorUri;
  const models = (await findModelFiles()).filter(fits);
  if (models.length === 0) {
    void vscode.window.showInformationMessage(options.onnxOnly ? 'No ONNX models in this workspace.' : 'No model files (.onnx, .tflite, .safetensors, .gguf) in this workspace.');
    return undefined;
  }
  if (models.length === 1) return models[0];
  const picked = await vscode.window.showQuickPick(
    models.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })),
    { title, placeHolder: 'Choose a model' },
  );
  return picked?.uri;
}
