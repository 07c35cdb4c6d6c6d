import * as vscode from 'vscode';

/**
 * Benchmarks and transforms load the model into onnxruntime and write files: they need a trusted
 * workspace. Returns true when trusted; otherwise explains why and offers to manage trust.
 */
export async function requireTrust(action: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `${action} needs a trusted workspace: it runs the model in onnxruntime and writes files. Analysis and hints keep working in Restricted Mode.`,
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
