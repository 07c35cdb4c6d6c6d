import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Analysis } from '../../src/core/energy/analysis';
import type { TransformResult } from '../../src/core/transform/types';
import type { BenchResult } from '../../src/core/bench/types';
import { jouleApi, workspaceFile } from './helpers';

suite('commands', () => {
  test('Export Report writes the analysis as JSON', async () => {
    await jouleApi();
    const out = workspaceFile('models', 'cnn.energy.json');
    const written = await vscode.commands.executeCommand<vscode.Uri>('joule.exportReport', workspaceFile('models', 'cnn.onnx'), { format: 'json', out });
    assert.equal(written?.fsPath, out.fsPath);
    const analysis = JSON.parse(fs.readFileSync(out.fsPath, 'utf8')) as Analysis;
    assert.equal(analysis.model.format, 'onnx');
    assert.ok(analysis.totals.macs > 0);
    assert.ok(analysis.layers.some((l) => l.name === 'conv1'));
    fs.rmSync(out.fsPath);
  });

  test('Quantize Model writes a verified int8 file beside the original, never over it', async () => {
    await jouleApi();
    const model = workspaceFile('models', 'cnn.onnx');
    const before = fs.readFileSync(model.fsPath);
    const result = await vscode.commands.executeCommand<TransformResult>('joule.quantizeModel', model, { mode: 'int8-dynamic' });
    assert.ok(result, 'the transform ran');
    assert.ok(fs.existsSync(result.output));
    assert.notEqual(result.output, model.fsPath);
    assert.deepEqual(fs.readFileSync(model.fsPath), before, 'the original is untouched');
    assert.ok(result.verification.cosine > 0.98, `cosine ${result.verification.cosine}`);
    fs.rmSync(result.output);
  });

  test('Quantize and Prune price their estimate on the selected hardware profile and names it', async () => {
    await jouleApi();
    const config = vscode.workspace.getConfiguration('joule');
    await config.update('hardwareProfile', 'a100', vscode.ConfigurationTarget.Workspace);
    try {
      for (const [command, options] of [['joule.quantizeModel', { mode: 'int8-dynamic' }], ['joule.pruneModel', { mode: 'magnitude', ratio: 0.5 }]] as const) {
        const result = await vscode.commands.executeCommand<TransformResult>(command, workspaceFile('models', 'cnn.onnx'), options);
        assert.ok(result, `${command} ran`);
        assert.equal(result.verification.energyJ?.profile, 'a100', `${command}: ${JSON.stringify(result.verification.energyJ)}`);
        fs.rmSync(result.output);
      }
    } finally {
      await config.update('hardwareProfile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Run Benchmark measures the model and fills the benchmark panel', async () => {
    const api = await jouleApi();
    const result = await vscode.commands.executeCommand<BenchResult>('joule.runBenchmark', workspaceFile('models', 'cnn.onnx'), { sweep: false });
    assert.ok(result, 'the benchmark ran');
    assert.ok(result.latencyMs.p50 > 0);
    assert.ok(['rapl', 'nvml', 'powermetrics', 'estimate'].includes(result.energy.source));
    const posted = api.bench.lastPosted;
    assert.equal(posted?.type, 'bench');
    if (posted?.type === 'bench') {
      assert.ok(posted.bench.histogram.length > 0);
      // Measured time per layer stands beside the estimate of the same layer.
      assert.ok(posted.bench.layers.some((l) => l.measuredMs !== undefined && l.estimatedMs !== undefined), JSON.stringify(posted.bench.layers.slice(0, 4)));
    }
  });
});
