import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { jouleApi } from './helpers';

suite('activation', () => {
  test('activates from its view and registers every command', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.joule');
    const api = await jouleApi();
    assert.ok(api.activationMs >= 0);
    const commands = await vscode.commands.getCommands(true);
    const manifest = vscode.extensions.getExtension('joule-energy.joule')!.packageJSON as { contributes: { commands: { command: string }[] } };
    for (const { command } of manifest.contributes.commands) assert.ok(commands.includes(command), `${command} is registered`);
  });

  test('activation does not load onnxruntime-node', () => {
    const loaded = Object.keys(require.cache).filter((m) => m.includes('onnxruntime'));
    assert.deepEqual(loaded, []);
  });
});
