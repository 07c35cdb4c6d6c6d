// Opt-in preview of Joule's webview pages in a real browser under the real CSP (see docs/webview.md):
//   node esbuild.js && npx tsc -p tsconfig.json --noEmit false && node out/test/webview-preview/preview.js
// Writes screenshots and results.json to test-results/webview-preview/ and exits 1 when a check fails.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PROFILE_ID, listProfiles } from '../../src/core/energy/profileRegistry';
import { launchBrowser } from './browser';
import { SCENARIOS, type Scenario, type ScenarioResult } from './scenarios';
import { benchData, fusedReport, graphReport, hostileReport, largeReport, reportData, summaryData, writeExample, type AnalysisMessage, type PageData } from './fixtures';
import { previewHtml, type ThemeName } from './pageHtml';
import { startServer } from './server';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const OUT = path.join(ROOT, 'test-results', 'webview-preview');

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const f of ['dist/webview/report.js', 'dist/webview/graphLayout.worker.js', 'dist/webview/bench.js', 'dist/webview/summary.js', 'dist/benchWorker.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run node esbuild.js first`);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const models = path.join(OUT, 'models');
  const cnn = writeExample(models, 'small-cnn');
  const transformer = writeExample(models, 'transformer');
  const profileIds = [DEFAULT_PROFILE_ID, ...listProfiles().map((p) => p.id).filter((id) => id !== DEFAULT_PROFILE_ID).slice(0, 2)];
  const cnnReport = reportData(cnn, profileIds);
  const transformerReport = reportData(transformer, profileIds);
  const wants = (name: string) => only.length === 0 || only.some((o) => name.startsWith(o));
  const data: Record<string, () => Promise<PageData> | PageData> = {
    report: () => transformerReport,
    'report-cnn': () => cnnReport,
    'report-10k': () => largeReport(transformerReport.initial as AnalysisMessage, 10_000),
    'report-hostile': () => hostileReport(cnnReport.initial as AnalysisMessage),
    summary: () => summaryData([{ file: cnn, message: cnnReport.initial as AnalysisMessage }, { file: transformer, message: transformerReport.initial as AnalysisMessage }], true),
    'report-fused': () => fusedReport(cnnReport.initial as AnalysisMessage),
    'report-graph': () => graphReport(models, path.join(ROOT, 'dist', 'benchWorker.js')),
    bench: () => benchData(cnn, (cnnReport.initial as AnalysisMessage).analysis, path.join(ROOT, 'dist', 'benchWorker.js')),
  };

  const server = await startServer(ROOT);
  const browser = await launchBrowser();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS.filter((s: Scenario) => wants(s.name))) {
      const pageData = await data[scenario.data]!();
      const theme: ThemeName = scenario.theme ?? 'dark';
      server.setPage(scenario.name, previewHtml(scenario.page, pageData, theme));
      const started = Date.now();
      const result = await scenario.run({ browser, url: `${server.origin}/page/${scenario.name}.html`, screenshot: path.join(OUT, `${scenario.name}.png`), name: scenario.name, data: pageData });
      results.push(result);
      const verdict = result.failures.length === 0 ? 'ok' : `FAILED\n    ${result.failures.join('\n    ')}`;
      console.log(`${scenario.name} (${Date.now() - started} ms): ${verdict}`);
      for (const [k, v] of Object.entries(result.metrics)) console.log(`    ${k}: ${v}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  fs.writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`screenshots and results.json in ${path.relative(process.cwd(), OUT) || '.'}`);
  if (results.some((r) => r.failures.length > 0)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
