/**
 * Benchmark (issue 15, class 9 "large valid graphs"): `joule analyze BIG.onnx` with `--format json`
 * and `--format table` on chains of 150,000 and 300,000 nodes, built by the project's builder.
 * Target: 150,000 nodes in under 2 s and 500 MB peak RSS, each format (docs/security.md); graphs past
 * the reader's node budget (MAX_GRAPH_NODES, 200,000) are expected to be refused with exit 2.
 *
 * Run: npm run build && npm run compile-tests && node out/scripts/bench/largeGraph.js [--nodes 150000,300000] [--runs 3]
 * Each run is a fresh `node dist/cli.js analyze …` child with stdout to a file (as a CI job writes
 * it); wall time is the child's whole life, startup included; peak RSS is the child's
 * peak RSS (VmHWM), reported by a preloaded hook when it exits. Runs of the sizes and
 * formats are interleaved, and the median of `--runs` is printed, since the machine is shared.
 * The JSON output is parsed afterwards to check that it holds every layer.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MAX_GRAPH_NODES } from '../../src/core/onnx/graphDecoder';
import { buildChainModel } from '../../test/fixtures/largeChain';

const TARGET_S = 2;
const TARGET_RSS_MB = 500;
const TARGET_NODES = 150_000;

function argText(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const SIZES = (argText('nodes') ?? '150000,300000').split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n >= 3);
const RUNS = Math.max(1, Math.floor(Number(argText('runs') ?? 3)) || 3);
const FORMATS = ['json', 'table'] as const;
const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

interface Run {
  readonly seconds: number;
  readonly rssMb: number;
  readonly exitCode: number | null;
  readonly stderr: string;
}

/**
 * Writes the hook that reports the child's peak RSS (KiB) to the file named by JOULE_BENCH_RSS: VmHWM
 * of /proc/self/status where there is one, since Linux carries the parent's peak across fork+exec
 * into ru_maxrss (this script holds the built models, so maxRSS would read ~700 MB for any child).
 */
function writeRssHook(dir: string): string {
  const hook = path.join(dir, 'rss-hook.js');
  fs.writeFileSync(hook, [
    "process.on('exit', () => {",
    "  const fs = require('fs');",
    "  let kib = process.resourceUsage().maxRSS;",
    "  try { kib = Number(/VmHWM:\\s*(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}",
    '  fs.writeFileSync(process.env.JOULE_BENCH_RSS, String(kib));',
    '});',
    '',
  ].join('\n'));
  return hook;
}

function runCli(model: string, format: string, out: string, hook: string, rssFile: string): Run {
  const fd = fs.openSync(out, 'w');
  const started = performance.now();
  const child = spawnSync(process.execPath, ['-r', hook, CLI, 'analyze', model, '--format', format], {
    stdio: ['ignore', fd, 'pipe'],
    env: { ...process.env, JOULE_BENCH_RSS: rssFile },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  fs.closeSync(fd);
  const rssKib = Number(fs.readFileSync(rssFile, 'utf8'));
  return { seconds, rssMb: rssKib / 1024, exitCode: child.status, stderr: child.stderr.toString('utf8').slice(0, 2000) };
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Layer count of the written JSON, or why it could not be read. */
function jsonLayers(file: string): number | string {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { layers?: unknown };
    return Array.isArray(parsed.layers) ? parsed.layers.length : 'no layers array';
  } catch (error) {
    return `unreadable JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function main(): number {
  if (!fs.existsSync(CLI)) {
    console.error(`largeGraph: ${CLI} is missing; run npm run build first (npm run bench does).`);
    return 1;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'joule-large-'));
  try {
    const hook = writeRssHook(dir);
    const rssFile = path.join(dir, 'rss.txt');
    const models = SIZES.map((nodes) => {
      const file = path.join(dir, `chain-${nodes}.onnx`);
      const t0 = performance.now();
      const built = buildChainModel(file, nodes);
      console.log(`built ${file}: ${built.nodes} nodes, ${(built.bytes / 1024 / 1024).toFixed(1)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return { nodes: built.nodes, file };
    });
    const runs = new Map<string, Run[]>();
    for (let round = 0; round < RUNS; round++) {
      for (const model of models) {
        for (const format of FORMATS) {
          const key = `${model.nodes}:${format}`;
          const run = runCli(model.file, format, path.join(dir, `out-${model.nodes}.${format}`), hook, rssFile);
          runs.set(key, [...(runs.get(key) ?? []), run]);
        }
      }
    }
    let failed = false;
    for (const model of models) {
      for (const format of FORMATS) {
        const list = runs.get(`${model.nodes}:${format}`) ?? [];
        const expectedExit = model.nodes > MAX_GRAPH_NODES ? 2 : 0;
        const bad = list.find((r) => r.exitCode !== expectedExit);
        const s = median(list.map((r) => r.seconds));
        const mb = median(list.map((r) => r.rssMb));
        const layers = format === 'json' && expectedExit === 0 ? jsonLayers(path.join(dir, `out-${model.nodes}.json`)) : undefined;
        const target = model.nodes <= TARGET_NODES ? ` (target < ${TARGET_S} s, < ${TARGET_RSS_MB} MB: ${s < TARGET_S && mb < TARGET_RSS_MB ? 'met' : 'NOT met'})` : '';
        const times = list.map((r) => r.seconds.toFixed(2)).join(', ');
        console.log(`${String(model.nodes).padStart(7)} nodes --format ${format.padEnd(5)}: median ${s.toFixed(2)} s [${times}], peak RSS ${mb.toFixed(0)} MB${layers === undefined ? '' : `, JSON layers ${layers}`}${expectedExit === 2 ? ', refused (exit 2, over the node budget)' : ''}${target}`);
        if (bad) {
          failed = true;
          console.log(`  exit ${bad.exitCode}: ${bad.stderr}`);
        }
        if (typeof layers === 'string' || (typeof layers === 'number' && layers !== model.nodes)) failed = true;
      }
    }
    console.log('Measured on this machine (wall time of the whole child process, median of interleaved runs).');
    return failed ? 1 : 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
