import * as vscode from 'vscode';
import { AnalysisFailure } from './analysisClient';

/**
 * When an analysis was refused for the size of the model's graph (core GraphBudgetError), shows the
 * refusal with a button that opens the `joule.maxGraphNodes` setting, so the user can raise the
 * budget knowingly; a changed budget re-analyses open reports. Returns whether it handled `e`.
 */
export function offerNodeBudget(e: unknown, modelName: string): boolean {
  if (!(e instanceof AnalysisFailure) || e.errorName !== 'GraphBudgetError') return false;
  const nodes = typeof e.fields.nodes === 'number' ? e.fields.nodes.toLocaleString('en-US') : 'more';
  const open = 'Open the Node Budget Setting';
  void vscode.window.showErrorMessage(`Joule did not analyse ${modelName}: its graph has ${nodes} nodes, more than the node budget (joule.maxGraphNodes). Time and memory grow with the node count.`, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'joule.maxGraphNodes');
  });
  return true;
}
