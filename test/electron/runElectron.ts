// The same host suite on a downloaded VS Code (the minimum supported version from engines.vscode),
// for machines that can reach Microsoft's update server. Offline machines use scripts/host-test.js.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '..', '..', '..');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const manifest = require(path.join(repo, 'package.json')) as { engines: { vscode: string } };
  const version = manifest.engines.vscode.replace(/^[^\d]*/, '');
  for (const v of [version, 'stable']) {
    await runTests({
      version: v,
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'host', 'index.js'),
      launchArgs: [path.join(repo, 'test', 'fixtures', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
