import * as path from 'node:path';
import * as vscode from 'vscode';

const FILTERS: Record<string, Record<string, string[]>> = {
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  html: { 'HTML report': ['html'] },
  json: { JSON: ['json'] },
  md: { Markdown: ['md'] },
  csv: { CSV: ['csv'] },
};

/**
 * Asks where to save exported content (beside the model by default) and writes it. PNG content
 * arrives as a data URL from a canvas. Returns the file written, or undefined when cancelled.
 */
export async function saveExport(model: vscode.Uri, format: string, content: string): Promise<vscode.Uri | undefined> {
  const base = path.basename(model.fsPath).replace(/\.[^.]+$/, '');
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(path.dirname(model.fsPath), `${base}.energy.${format}`)),
    filters: FILTERS[format] ?? {},
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  const bytes = format === 'png' ? Buffer.from(content.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(content, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}
