import * as vscode from 'vscode';
import { findModelFiles, isModelFile } from './modelFiles';

/**
 * The model a command acts on: the argument (from a menu or the report), else the active report or
 * editor, else the user's pick among the workspace's models.
 */
export async function pickModel(arg: unknown, activeReport: vscode.Uri | undefined, title: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri && isModelFile(arg)) return arg;
  if (arg && typeof arg === 'object' && 'resourceUri' in arg && (arg as { resourceUri: unknown }).resourceUri instanceof vscode.Uri) {
    return (arg as { resourceUri: vscode.Uri }).resourceUri;
  }
  if (activeReport) return activeReport;
  const editorUri = vscode.window.activeTextEditor?.document.uri;
  if (editorUri && isModelFile(editorUri)) return editorUri;
  const models = await findModelFiles();
  if (models.length === 0) {
    void vscode.window.showInformationMessage('No model files (.onnx, .tflite, .safetensors, .gguf) in this workspace.');
    return undefined;
  }
  if (models.length === 1) return models[0];
  const picked = await vscode.window.showQuickPick(
    models.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, false), uri })),
    { title, placeHolder: 'Choose a model' },
  );
  return picked?.uri;
}
