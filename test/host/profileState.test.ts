import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TransformResult } from '../../src/core/transform/types';
import { jouleApi, waitFor, workspaceFile } from './helpers';

/**
 * One profile, one truth (issue 16): the profile a user picks is the one the status bar, the Models
 * view, the report and a quantize summary all price on; a report's own picker moves that report, the
 * status bar while it is in front and the transforms launched from it, not the setting.
 */
suite('profile shown = profile used', () => {
  test('global switch, then a report\'s own picker: status bar, Models view, report and quantize summary agree', async function () {
    this.timeout(120_000);
    const api = await jouleApi();
    const model = workspaceFile('models', 'cnn.onnx');
    const config = vscode.workspace.getConfiguration('joule');
    const reportProfile = () => {
      const m = api.services.reports.lastPosted.get(model.toString());
      return m?.type === 'analysis' ? m.analysis.profile.id : undefined;
    };
    const treeDescription = async (): Promise<string> => {
      const items = await api.modelsTree.getChildren();
      const item = items.find((i) => i.kind === 'model' && i.uri.path.endsWith('cnn.onnx'));
      return item ? String((await api.modelsTree.getTreeItem(item)).description) : '';
    };
    const quantizedOn = async (): Promise<string | undefined> => {
      const result = await vscode.commands.executeCommand<TransformResult | undefined>('joule.quantizeModel', model, { mode: 'fp16' });
      assert.ok(result, 'the quantization ran');
      await vscode.workspace.fs.delete(vscode.Uri.file(result.output));
      return result.verification.energyJ?.profile;
    };

    await config.update('hardwareProfile', 'a100', vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('vscode.open', model);
      await waitFor('the report on a100', () => (reportProfile() === 'a100' ? true : undefined));
      await waitFor('the status bar on a100', () => (api.statusBar.tooltip.includes('on a100') ? true : undefined));
      await waitFor('the Models view on a100', async () => ((await treeDescription()).includes('est. a100') ? true : undefined));
      assert.equal(await quantizedOn(), 'a100');

      // The report's own picker: that report, the status bar (report in front) and its transforms follow.
      await api.services.reports.selectProfile(model, 'jetson-orin-agx');
      await waitFor('the report on jetson-orin-agx', () => (reportProfile() === 'jetson-orin-agx' ? true : undefined));
      const tooltip = await waitFor('the status bar on jetson-orin-agx', () => (api.statusBar.tooltip.includes('on jetson-orin-agx') ? api.statusBar.tooltip : undefined));
      assert.doesNotMatch(tooltip, /a100/);
      assert.equal(await quantizedOn(), 'jetson-orin-agx');
      // The setting did not move: the Models view still says a100, and so does the profile setting.
      assert.match(await treeDescription(), /est\. a100/);
      assert.equal(vscode.workspace.getConfiguration('joule').get('hardwareProfile'), 'a100');

      // A hint-only setting re-renders without re-pricing: the report keeps its own choice.
      await config.update('hints.detail', 'full', vscode.ConfigurationTarget.Workspace);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(api.services.reports.profileOf(model), 'jetson-orin-agx');
    } finally {
      await config.update('hints.detail', undefined, vscode.ConfigurationTarget.Workspace);
      await config.update('hardwareProfile', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
