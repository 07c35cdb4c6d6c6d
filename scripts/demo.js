#!/usr/bin/env node
// `npm run demo` (after `npm run build`): builds the example CNN and transformer with the project's
// own ONNX builder, prints their per-layer energy tables with the built CLI, compares the transformer
// on two hardware profiles and writes HTML reports. Everything goes to demo-output/ (git-ignored).
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
const out = path.join(root, 'demo-output');

/** Runs the built CLI with its output on this terminal; stops the demo when it fails. */
function joule(args) {
  console.log(`\n$ joule ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\njoule ${args[0]} failed with exit code ${result.status ?? result.signal}.`);
    process.exit(1);
  }
}

if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first (`npm run demo` does).');
  process.exit(1);
}

const rel = (file) => path.relative(root, path.join(out, file));
joule(['examples', '--out', path.relative(root, out)]);
joule(['analyze', rel('cnn.onnx')]);
joule(['analyze', rel('transformer.onnx'), '--dim', 'sequence=128']);
joule(['compare', rel('transformer.onnx'), '--dim', 'sequence=128', '--profile', 'laptop-x86', '--profile-b', 'a100']);
joule(['report', rel('cnn.onnx'), '--out', rel('report.html')]);
joule(['report', rel('transformer.onnx'), '--dim', 'sequence=128', '--out', rel('transformer-report.html')]);

console.log(`\nHTML reports (self-contained, open in a browser):\n  ${path.join(out, 'report.html')}\n  ${path.join(out, 'transformer-report.html')}`);
