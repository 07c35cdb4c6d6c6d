// What a person sees: each scenario drives the workbench and leaves a screenshot in test-results/ui.
import type { Page } from 'playwright-core';
import { openJouleView, quickOpen, runCommand, webviewFrame } from './workbench';

export interface Scenario {
  readonly name: string;
  run(page: Page): Promise<void>;
}

async function closeEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(300);
}

/** Hides the bottom panel when it is open, so screenshots show the editor area. */
async function hidePanel(page: Page): Promise<void> {
  if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Toggle Panel Visibility');
}

export const scenarios: Scenario[] = [
  {
    name: 'joule-view-lists-models',
    async run(page) {
      await openJouleView(page);
      await page.locator('.pane-body .monaco-list-row', { hasText: 'cnn.onnx' }).first().waitFor({ timeout: 30_000 });
      // The model's estimate appears as the row's description.
      await page.locator('.pane-body .monaco-list-row', { hasText: 'J/inf' }).first().waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'palette-show-log',
    async run(page) {
      await runCommand(page, 'Joule: Show Log');
      await page.locator('.part.panel .view-lines', { hasText: 'Joule activated' }).first().waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'python-inlay-hints',
    async run(page) {
      await quickOpen(page, 'pytorch_cnn.py');
      await page.locator('.view-lines', { hasText: 'self.conv1' }).first().waitFor({ timeout: 30_000 });
      await page.locator('.view-lines span', { hasText: /params/ }).first().waitFor({ timeout: 30_000 });
      await page.locator('.view-lines span', { hasText: /J\/inf/ }).first().waitFor({ timeout: 30_000 });
      await page.locator('.codelens-decoration', { hasText: 'Joule' }).first().waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'python-quick-fix-applies',
    async run(page) {
      await quickOpen(page, 'pytorch_cnn.py');
      const line = page.locator('.view-line', { hasText: 'self.fc1 = nn.Linear' }).first();
      await line.waitFor({ timeout: 30_000 });
      await line.click();
      await page.keyboard.press('End');
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row');
      await menu.filter({ hasText: /Joule: Quantize/ }).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: 'test-results/ui/python-quick-fix-menu.png' });
      // The pruning fix edits the lines in view (the quantization fix adds a function below the class).
      await menu.filter({ hasText: /Joule: Prune .*L1 unstructured/ }).first().click();
      await page.locator('.view-lines', { hasText: 'prune.l1_unstructured' }).first().waitFor({ timeout: 30_000 });
      await runCommand(page, 'File: Revert File');
    },
  },
  {
    name: 'onnx-report-editor',
    async run(page) {
      await closeEditors(page);
      await hidePanel(page);
      await quickOpen(page, 'cnn.onnx');
      const frame = await webviewFrame(page, '.lt-row', 60_000);
      await frame.locator('.lt-row', { hasText: 'conv1' }).first().waitFor({ timeout: 30_000 });
      await frame.locator('.stat-label', { hasText: 'energy / inference' }).first().waitFor();
      await frame.locator('.charts canvas').first().waitFor();
    },
  },
  {
    // The README's Graph picture: a ~1,000-layer model, the Graph tab, a searched and clicked node.
    name: 'onnx-report-graph',
    async run(page) {
      await closeEditors(page);
      await hidePanel(page);
      await quickOpen(page, 'transformer-1k.onnx');
      const frame = await webviewFrame(page, '.lt-row', 60_000);
      await frame.getByRole('tab', { name: 'Graph' }).click();
      await frame.locator('.graph-status', { hasText: 'in a Web Worker' }).waitFor({ timeout: 30_000 });
      await frame.locator('input.graph-search').fill('attn/q/MatMul');
      await frame.locator('input.graph-search').press('Enter');
      await frame.locator('.details h2', { hasText: 'attn/q/MatMul' }).first().waitFor();
      // Click the node the search centred (the MatMul+Add kernel, one box), then step to its consumer with the keyboard.
      const box = await frame.locator('.graph-canvas').boundingBox();
      if (!box) throw new Error('graph canvas has no box');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await frame.locator('.details h2', { hasText: 'attn/q/MatMul' }).first().waitFor();
      await page.keyboard.press('ArrowDown');
      await frame.locator('.details h2', { hasText: 'attn/q/Reshape' }).first().waitFor();
      await page.waitForTimeout(300);
    },
  },
  {
    name: 'report-sets-a-dimension',
    async run(page) {
      await closeEditors(page);
      await hidePanel(page);
      await quickOpen(page, 'detector.onnx');
      // Open spatial dims are assumed (640×640) and said so in the header; the bar sets them.
      const frame = await webviewFrame(page, '.dimension-controls', 60_000);
      await frame.locator('.assumed-dims', { hasText: 'assumed H=W=640' }).first().waitFor({ timeout: 30_000 });
      // The batch is not in the bar (it has its own setting): the image sides are, labelled H and W.
      await frame.locator('.dim-input[data-role="height"]').fill('320');
      await frame.locator('.dim-input[data-role="width"]').fill('320');
      await frame.locator('.dimension-controls button', { hasText: 'Apply' }).click();
      // The re-estimate at 320×320 has no assumption left; the header and MACs follow.
      await frame.locator('.assumed-dims').first().waitFor({ state: 'detached', timeout: 30_000 });
      // 320×320 at batch 1: 160²·16·27 + 80²·32·144 + 320²·32 = 43.8 M MACs.
      await frame.locator('.stat-value', { hasText: '43.8 M' }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: 'test-results/ui/report-dimension-set.png' });
      await frame.locator('.dimension-controls button', { hasText: 'Reset' }).click();
      await frame.locator('.assumed-dims', { hasText: 'assumed H=W=640' }).first().waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'benchmark-panel-charts',
    async run(page) {
      await closeEditors(page);
      await runCommand(page, 'Joule: Run Benchmark…');
      // Benchmarks run ONNX models only; when the workspace has several, Joule asks which.
      const kind = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Latency, throughput' }).first();
      const model = page.locator('.quick-input-list .monaco-list-row', { hasText: 'cnn.onnx' }).first();
      await kind.or(model).waitFor({ timeout: 30_000 });
      if (await model.isVisible()) await model.click();
      await kind.waitFor({ timeout: 30_000 });
      await kind.click();
      const frame = await webviewFrame(page, '.stat.measured', 120_000);
      await frame.locator('.stat-label', { hasText: 'p50 latency' }).first().waitFor({ timeout: 30_000 });
      await frame.locator('canvas').first().waitFor();
      await page.waitForTimeout(500);
    },
  },
];
