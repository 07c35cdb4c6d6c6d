import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { jouleApi, waitFor, workspaceFile } from './helpers';

suite('model report editor', () => {
  test('opening an .onnx file shows its analysis in the report editor', async () => {
    const api = await jouleApi();
    const model = workspaceFile('models', 'cnn.onnx');
    await vscode.commands.executeCommand('vscode.open', model);
    const message = await waitFor('the analysis to reach the report page', () => {
      const m = api.services.reports.lastPosted.get(model.toString());
      return m?.type === 'analysis' ? m : undefined;
    });
    assert.equal(message.type, 'analysis');
    if (message.type !== 'analysis') return;
    assert.deepEqual(message.analysis.layers.map((l) => l.name).slice(0, 2), ['conv1', 'relu1']);
    assert.ok(message.profiles.length >= 10, 'the picker offers the shipped profiles');
    // Recommendations come priced: the biggest conv gains from int8 on the default laptop profile, as
    // static QDQ (dynamic int8 convolutions run ConvInteger's slow CPU path there, so they are not offered).
    const conv2 = message.advice.filter((a) => a.layer === 'conv2');
    assert.ok(conv2.some((a) => a.action === 'quantize-int8-static' && a.savingJ > 0), JSON.stringify(message.advice.slice(0, 3)));
    assert.equal(api.services.reports.activeUri?.toString(), model.toString());
    await waitFor('the status bar to show the report', () => (api.statusBar.text.includes('/inf') ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
