import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { jouleApi, waitFor, workspaceFile } from './helpers';

suite('Python model code', () => {
  const file = () => workspaceFile('code', 'pytorch_cnn.py');

  test('inlay hints show parameters and energy after each layer', async () => {
    await jouleApi();
    const document = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(document);
    const range = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', document.uri, range);
    const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
    // conv1 = Conv2d(3, 32, 3, bias=False): 3·32·9 = 864 parameters.
    const conv1 = hints.find((h) => document.lineAt(h.position.line).text.includes('self.conv1 ='));
    assert.ok(conv1, `hints: ${labels.join(' | ')}`);
    assert.match(String(conv1.label), /864 params/);
    assert.match(String(conv1.label), /J\/inf/);
  });

  test('hover explains the breakdown, CodeLens shows the model totals', async () => {
    const document = await vscode.workspace.openTextDocument(file());
    const line = [...Array(document.lineCount).keys()].find((i) => document.lineAt(i).text.includes('self.fc1 ='))!;
    const column = document.lineAt(line).text.indexOf('nn.Linear') + 3;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /off-chip data movement/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /SmallCNN|params/.test(t) && /J\/inference/.test(t)), `lenses: ${titles.join(' | ')}`);
  });

  test('a hotspot gets a diagnostic and a quick fix that inserts quantize_dynamic', async () => {
    const api = await jouleApi();
    const document = await vscode.workspace.openTextDocument(file());
    const editor = await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor('a Joule hotspot diagnostic', () => {
      const d = vscode.languages.getDiagnostics(document.uri).filter((x) => x.source === 'Joule');
      return d.length > 0 ? d : undefined;
    });
    assert.equal(diagnostics[0]!.code, 'joule.hotspot');
    assert.ok(api.diagnostics.has(document.uri));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostics[0]!.range);
    const joule = actions.filter((a) => a.title.startsWith('Joule:'));
    assert.ok(joule.length > 0, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(joule.filter((a) => a.isPreferred).length <= 1, 'at most one preferred fix');
    const quantize = joule.find((a) => a.edit && /quantiz/i.test(a.title));
    assert.ok(quantize?.edit, `actions: ${joule.map((a) => a.title).join(' | ')}`);
    try {
      assert.ok(await vscode.workspace.applyEdit(quantize.edit));
      assert.match(editor.document.getText(), /quantiz/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  test('the status bar shows the energy of the Python model in front', async () => {
    const api = await jouleApi();
    const document = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(document);
    const text = await waitFor('the status bar energy', () => (api.statusBar.text.includes('/inf') ? api.statusBar.text : undefined));
    assert.match(text, /J\/inf/);
  });

  test('a file at the size limit is analysed in the worker: the extension host keeps turning meanwhile', async () => {
    await jouleApi();
    // About a second of analysis (scripts/bench/hostilePython.ts); on the host it would stall every extension that long.
    const lines = ['import torch.nn as nn'];
    for (let i = 0; i < 3800; i++) lines.push(`m${i} = nn.ModuleList([nn.Linear(4, 4) for _ in range(1000)])`);
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: lines.join('\n') });
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const started = performance.now();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    const elapsedMs = performance.now() - started;
    lag.disable();
    const maxLagMs = lag.max / 1e6;
    assert.equal(lenses.length, 3800, 'one CodeLens per ModuleList');
    assert.ok(elapsedMs > 200, `the analysis took ${elapsedMs.toFixed(0)} ms: too short to tell`);
    assert.ok(maxLagMs < elapsedMs / 2, `the host's event loop stalled ${maxLagMs.toFixed(0)} ms during a ${elapsedMs.toFixed(0)} ms analysis`);
  });
});
