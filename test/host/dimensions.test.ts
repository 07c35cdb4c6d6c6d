import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../src/core/protocol';
import { jouleApi, waitFor, workspaceFile } from './helpers';

type AnalysisMessage = Extract<HostToWebview, { type: 'analysis' }>;

suite('symbolic dimensions (issue 14)', () => {
  test('a detector with open dims is labelled assumed; dims set for the model re-estimate the report, the Models view and the status bar', async () => {
    const api = await jouleApi();
    const model = workspaceFile('models', 'detector.onnx');
    await vscode.commands.executeCommand('vscode.open', model);
    const first = await waitFor('the detector analysis', () => {
      const m = api.services.reports.lastPosted.get(model.toString());
      return m?.type === 'analysis' ? m : undefined;
    });
    assert.deepEqual(first.analysis.assumedDims?.map((d) => [d.role, d.value]), [['height', 640], ['width', 640]]);
    await waitFor('the status bar tooltip to say what was assumed', () => (api.statusBar.tooltip.includes('assumed H=W=640') ? true : undefined));
    const treeDescription = async (): Promise<string> => {
      const items = await api.modelsTree.getChildren();
      const item = items.find((i) => i.kind === 'model' && i.uri.path.endsWith('detector.onnx'));
      return item ? String((await api.modelsTree.getTreeItem(item)).description) : '';
    };
    await waitFor('the Models view to say assumed', async () => ((await treeDescription()).includes('assumed H=W=640') ? true : undefined));

    await api.modelDims.set(model, { H: 320, W: 320 });
    try {
      const second = await waitFor('the report at 320×320', () => {
        const m = api.services.reports.lastPosted.get(model.toString()) as AnalysisMessage | undefined;
        return m?.type === 'analysis' && m.analysis.assumedDims === undefined ? m : undefined;
      });
      assert.ok(second.analysis.totals.macs < first.analysis.totals.macs / 3, 'a quarter of the pixels');
      await waitFor('the status bar to drop the assumption', () => (!api.statusBar.tooltip.includes('assumed') && api.statusBar.text.includes('/inf') ? true : undefined));
      await waitFor('the Models view to drop the assumption', async () => (!(await treeDescription()).includes('assumed') ? true : undefined));
    } finally {
      await api.modelDims.set(model, {});
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});

suite('input values (issue 14)', () => {
  test('values set for a model feed its benchmark: the If-wrapped VAD runs with sr=16000, the rest generated', async () => {
    const api = await jouleApi();
    const vad = workspaceFile('models', 'vad.onnx');
    await api.services.modelInputs!.setEntries(vad, ['sr=16000']);
    // 128 assumed samples are shorter than the 16 kHz branch's 256-tap frame: set 512, as a user would in the report.
    await api.modelDims.set(vad, { samples: 512 });
    try {
      const result = await vscode.commands.executeCommand<{ inputs: { name: string; origin: string; dims: number[] }[] }>('joule.runBenchmark', vad, { sweep: false });
      assert.ok(result, 'the benchmark ran');
      assert.deepEqual(result.inputs.map((i) => [i.name, i.origin, i.dims]), [['input', 'generated', [1, 512]], ['state', 'generated', [2, 1, 128]], ['sr', 'user', []]]);
    } finally {
      await api.services.modelInputs!.setEntries(vad, []);
      await api.modelDims.set(vad, {});
    }
  });
});
