import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JouleApi } from '../../src/extension/extension';

const EXTENSION_ID = 'joule-energy.joule';

suite('activation', () => {
  test('activates from its view and registers its commands', async () => {
    const extension = vscode.extensions.getExtension<JouleApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed in the host`);
    await vscode.commands.executeCommand('workbench.view.extension.joule');
    const api = await extension.activate();
    assert.ok(api.activationMs >= 0);
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['joule.showLog', 'joule.refreshModels']) assert.ok(commands.includes(id), `${id} is registered`);
  });

  test('activation does not load onnxruntime-node', () => {
    const loaded = Object.keys(require.cache).filter((m) => m.includes('onnxruntime'));
    assert.deepEqual(loaded, []);
  });

  test('the Models view lists the workspace models', async () => {
    const api = vscode.extensions.getExtension<JouleApi>(EXTENSION_ID)!.exports;
    const items = await api.modelsTree.getChildren();
    const names = await Promise.all(items.map(async (i) => (await api.modelsTree.getTreeItem(i)).label));
    assert.ok(names.includes('cnn.onnx'), `models listed: ${names.join(', ')}`);
  });
});
