import * as vscode from 'vscode';

/** File patterns of the model formats Joule reads. */
export const MODEL_GLOB = '**/*.{onnx,tflite,safetensors,gguf}';
export const MODEL_EXTENSIONS = ['.onnx', '.tflite', '.safetensors', '.gguf'];
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/.joule/**}';
const MAX_MODELS = 2000;

export function isModelFile(uri: vscode.Uri): boolean {
  const lower = uri.path.toLowerCase();
  return MODEL_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Every model file in the workspace, sorted by path. */
export async function findModelFiles(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(MODEL_GLOB, EXCLUDE_GLOB, MAX_MODELS, token);
  return uris.sort((a, b) => a.path.localeCompare(b.path));
}
