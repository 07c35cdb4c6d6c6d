// Bundles the extension, the CLI, the child-process workers and the webview scripts.
// Flags: --production (minified, no source maps), --watch.
const esbuild = require('esbuild');
const fs = require('node:fs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of VS Code's esbuild problem matcher. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

/** Node entry points: bundle name -> source. Workers run in child processes, outside the extension host. */
const nodeEntries = Object.fromEntries(
  Object.entries({
    extension: 'src/extension/extension.ts',
    cli: 'src/cli/main.ts',
    analysisWorker: 'src/extension/analysisWorker.ts',
    benchWorker: 'src/core/bench/worker.ts',
    transformWorker: 'src/core/transform/worker.ts',
  }).filter(([, file]) => fs.existsSync(file)),
);

/**
 * Webview entry points: every webview/*.main.ts becomes dist/webview/<name>.js (a page), every
 * webview/*.worker.ts becomes dist/webview/<name>.worker.js (a Web Worker a page starts).
 */
const webviewEntries = fs.existsSync('webview')
  ? Object.fromEntries(
      fs
        .readdirSync('webview')
        .filter((f) => f.endsWith('.main.ts') || f.endsWith('.worker.ts'))
        .map((f) => [f.replace(/\.main\.ts$/, '').replace(/\.worker\.ts$/, '.worker'), `webview/${f}`]),
    )
  : {};

async function main() {
  const contexts = [
    await esbuild.context({
      ...common,
      entryPoints: nodeEntries,
      outdir: 'dist',
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['vscode', 'onnxruntime-node'],
    }),
  ];
  if (Object.keys(webviewEntries).length > 0) {
    contexts.push(
      await esbuild.context({
        ...common,
        entryPoints: webviewEntries,
        outdir: 'dist/webview',
        platform: 'browser',
        target: 'es2022',
        format: 'iife',
      }),
    );
  }
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const cli = 'dist/cli.js';
  if (fs.existsSync(cli)) {
    const text = fs.readFileSync(cli, 'utf8');
    if (!text.startsWith('#!')) fs.writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
    fs.chmodSync(cli, 0o755);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
