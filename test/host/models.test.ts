import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { jouleApi, waitFor, workspaceFile } from './helpers';

suite('models view and status bar', () => {
  test('the Models view lists the workspace models with estimated energy', async () => {
    const api = await jouleApi();
    const items = await api.modelsTree.getChildren();
    const treeItems = await Promise.all(items.map((i) => api.modelsTree.getTreeItem(i)));
    const cnn = treeItems.find((t) => t.label === 'cnn.onnx');
    assert.ok(cnn, `models listed: ${treeItems.map((t) => t.label).join(', ')}`);
    assert.match(String(cnn.description), /J\/inf · est\. laptop-x86/);
  });

  test('an unreadable model shows its error instead of breaking the view', async () => {
    const api = await jouleApi();
    const broken = workspaceFile('models', 'broken.onnx');
    await vscode.workspace.fs.writeFile(broken, Buffer.from('this is not a protobuf at all \u0000\u00ff'));
    try {
      const item = await waitFor('broken.onnx in the view', async () => {
        api.modelsTree.invalidate();
        const items = await api.modelsTree.getChildren();
        const found = items.find((i) => i.kind === 'model' && i.uri.fsPath === broken.fsPath);
        return found ? api.modelsTree.getTreeItem(found) : undefined;
      });
      assert.equal(item.description, 'unreadable');
      assert.match(String(item.tooltip), /broken\.onnx/);
    } finally {
      await vscode.workspace.fs.delete(broken);
    }
  });

  test('changing the hardware profile setting re-estimates', async () => {
    const api = await jouleApi();
    const config = vscode.workspace.getConfiguration('joule');
    await config.update('hardwareProfile', 'a100', vscode.ConfigurationTarget.Workspace);
    try {
      const description = await waitFor('an a100 estimate', async () => {
        const items = await api.modelsTree.getChildren();
        const item = items.find((i) => i.kind === 'model' && i.uri.path.endsWith('cnn.onnx'));
        const d = item ? String((await api.modelsTree.getTreeItem(item)).description) : '';
        return d.includes('a100') ? d : undefined;
      });
      assert.match(description, /est\. a100/);
    } finally {
      await config.update('hardwareProfile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
