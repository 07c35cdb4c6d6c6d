import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { jouleApi, waitFor, workspaceFile } from './helpers';

suite('other model formats', () => {
  test('a TFLite model opens in the report editor with its layers', async () => {
    const api = await jouleApi();
    const model = workspaceFile('models', 'formats', 'tiny-int8-cnn.tflite');
    await vscode.commands.executeCommand('vscode.openWith', model, 'joule.modelReport');
    const message = await waitFor('the TFLite analysis', () => {
      const m = api.services.reports.lastPosted.get(model.toString());
      return m?.type === 'analysis' || m?.type === 'error' ? m : undefined;
    });
    assert.equal(message.type, 'analysis', JSON.stringify(message));
    if (message.type === 'analysis') {
      assert.equal(message.analysis.model.format, 'tflite');
      assert.ok(message.analysis.layers.some((l) => l.precision === 'int8' && l.macs > 0));
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('the Models view lists GGUF and safetensors files with an estimate', async () => {
    const api = await jouleApi();
    const items = await api.modelsTree.getChildren();
    const labels = await Promise.all(items.map(async (i) => `${(await api.modelsTree.getTreeItem(i)).label} ${(await api.modelsTree.getTreeItem(i)).description}`));
    for (const name of ['tiny-llama.gguf', 'model.safetensors']) {
      assert.ok(labels.some((l) => l.startsWith(name) && /J\/inf/.test(l)), `${name} in ${labels.join(' | ')}`);
    }
  });

  test('a Hugging Face config.json shows what its fields cost and the energy per token', async () => {
    await jouleApi();
    const document = await vscode.workspace.openTextDocument(workspaceFile('models', 'formats', 'llama-2-7b', 'config.json'));
    await vscode.window.showTextDocument(document);
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, new vscode.Range(0, 0, document.lineCount, 0));
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    assert.ok(labels.some((l) => /decode .*J\/token/.test(l)), labels.join(' | '));
    assert.ok(labels.some((l) => /6\.74 B/.test(l)), labels.join(' | '));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
