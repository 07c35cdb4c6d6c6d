// `npm run package [-- --target linux-x64]`: a production build and a platform-specific .vsix that
// carries onnxruntime-node's native binary for that one platform only (the npm package ships all).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const arg = process.argv.indexOf('--target');
const target = arg > 0 ? process.argv[arg + 1] : `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`;
const [platform, arch] = target.split('-');
if (!['linux', 'darwin', 'win32'].includes(platform) || !arch) {
  console.error(`Unsupported --target ${target}: use linux-x64, linux-arm64, darwin-x64, darwin-arm64, win32-x64 or win32-arm64`);
  process.exit(2);
}

// Everything is bundled by esbuild except onnxruntime-node (native) and its pure-JS runtime dependency.
// The README's screenshots travel with it, so its relative image links work in the extension's page.
const ignore = `**
!dist/**
dist/**/*.map
!media/**
!docs/images/**
!package.json
!README.md
!LICENSE
!CHANGELOG.md
!node_modules/onnxruntime-node/package.json
!node_modules/onnxruntime-node/dist/**
!node_modules/onnxruntime-node/bin/napi-v*/${platform}/${arch}/**
!node_modules/onnxruntime-common/package.json
!node_modules/onnxruntime-common/dist/cjs/**
`;

execFileSync('node', ['esbuild.js', '--production'], { cwd: repo, stdio: 'inherit' });
const ignoreFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'joule-pkg-')), 'vscodeignore');
fs.writeFileSync(ignoreFile, ignore);
const out = path.join(repo, `joule-${target}.vsix`);
const vsce = path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--target', target, '--ignoreFile', ignoreFile, '--out', out, '--no-update-package-json', '--allow-missing-repository', '--no-rewrite-relative-links'], { cwd: repo, stdio: 'inherit' });
fs.rmSync(path.dirname(ignoreFile), { recursive: true, force: true });
console.log(`packaged ${path.relative(repo, out)} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);
