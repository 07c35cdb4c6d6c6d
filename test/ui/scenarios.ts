// What a person sees: each scenario drives the workbench and leaves a screenshot in test-results/ui.
import type { Page } from 'playwright-core';
import { openJouleView, runCommand } from './workbench';

export interface Scenario {
  readonly name: string;
  run(page: Page): Promise<void>;
}

export const scenarios: Scenario[] = [
  {
    name: 'joule-view-lists-models',
    async run(page) {
      await openJouleView(page);
      await page.locator('.pane-body .monaco-list-row', { hasText: 'cnn.onnx' }).first().waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'palette-show-log',
    async run(page) {
      await runCommand(page, 'Joule: Show Log');
      await page.locator('.part.panel .view-lines', { hasText: 'Joule activated' }).first().waitFor({ timeout: 30_000 });
    },
  },
];
