/**
 * Benchmark (issue 15, class 9 "large valid graphs"): `joule analyze BIG.onnx` with `--format json`
 * and `--format table` on chains built by the project's builder: 10,000 nodes (the largest graph the
 * advisor still runs on), 20,000 (the default node budget), 150,000 and 300,000 (past it: refused with
 * exit 2), and 150,000 again with `--max-nodes 150000` (the cost of raising the budget, no target).
 * Target: every run under the default budget answers in under 2 s and 500 MB peak RSS, each format,
 * with exit 0 or 2 (docs/security.md).
 *
 * Run: npm run build && npm run compile-tests && node out/scripts/bench/largeGraph.js [--nodes 10000,20000,150000,300000] [--raised 150000] [--runs 3]
 * Each run is a fresh `node dist/cli.js analyze …` child with stdout to a file (as a CI job writes
 * it); wall time is the child's whole life, startup included; peak RSS is the child's
 * peak RSS (VmHWM), reported by a preloaded hook when it exits. Runs of the sizes and
 * formats are interleaved, and the median of `--runs` is printed, since the machine is shared.
 * The JSON output is parsed afterwards to check that it holds every layer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MAX_GRAPH_NODES } from '../../src/core/graph/nodeBudget';
import { buildChainModel } from '../../test/fixtures/largeChain';
import { CLI, median, runCli, usageProbe } from './lib/childUsage';

const TARGET_S = 2;
const TARGET_RSS_MB = 500;

function argText(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const sizes = (text: string): number[] => text.split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n >= 3);
const SIZES = sizes(argText('nodes') ?? '10000,20000,150000,300000');
/** Sizes also run with `--max-nodes` set to their node count. */
const RAISED = sizes(argText('raised') ?? '150000');
const RUNS = Math.max(1, Math.floor(Number(argText('runs') ?? 3)) || 3);
const FORMATS = ['json', 'table'] as const;

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
    const probe = usageProbe(dir);
    const built = new Map<number, { nodes: number; file: string }>();
    for (const nodes of [...new Set([...SIZES, ...RAISED])]) {
      const file = path.join(dir, `chain-${nodes}.onnx`);
      const t0 = performance.now();
      const model = buildChainModel(file, nodes);
      console.log(`built ${file}: ${model.nodes} nodes, ${(model.bytes / 1024 / 1024).toFixed(1)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      built.set(nodes, { nodes: model.nodes, file });
    }
    const cases = [
      ...SIZES.map((n) => ({ ...built.get(n)!, maxNodes: undefined as number | undefined })),
      ...RAISED.map((n) => ({ ...built.get(n)!, maxNodes: built.get(n)!.nodes as number | undefined })),
    ];
    const keyOf = (c: (typeof cases)[number], format: string): string => `${c.nodes}:${c.maxNodes ?? ''}:${format}`;
    const runs = new Map<string, ReturnType<typeof runCli>[]>();
    for (let round = 0; round < RUNS; round++) {
      for (const c of cases) {
        for (const format of FORMATS) {
          const args = ['analyze', c.file, '--format', format, ...(c.maxNodes === undefined ? [] : ['--max-nodes', String(c.maxNodes)])];
          const run = runCli(args, path.join(dir, `out-${c.nodes}.${format}`), probe);
          runs.set(keyOf(c, format), [...(runs.get(keyOf(c, format)) ?? []), run]);
        }
      }
    }
    let failed = false;
    for (const c of cases) {
      for (const format of FORMATS) {
        const list = runs.get(keyOf(c, format)) ?? [];
        const expectedExit = c.nodes > (c.maxNodes ?? DEFAULT_MAX_GRAPH_NODES) ? 2 : 0;
        const bad = list.find((r) => r.exitCode !== expectedExit);
        const s = median(list.map((r) => r.seconds));
        const mb = median(list.map((r) => r.rssMb));
        const worst = { s: Math.max(...list.map((r) => r.seconds)), mb: Math.max(...list.map((r) => r.rssMb)) };
        const layers = format === 'json' && expectedExit === 0 ? jsonLayers(path.join(dir, `out-${c.nodes}.json`)) : undefined;
        const target = c.maxNodes === undefined ? ` (target < ${TARGET_S} s, < ${TARGET_RSS_MB} MB in every run: ${worst.s < TARGET_S && worst.mb < TARGET_RSS_MB ? 'met' : 'NOT met'})` : '';
        const times = list.map((r) => r.seconds.toFixed(2)).join(', ');
        const label = `${String(c.nodes).padStart(7)} nodes${c.maxNodes === undefined ? '' : ` --max-nodes ${c.maxNodes}`} --format ${format.padEnd(5)}`;
        console.log(`${label}: median ${s.toFixed(2)} s [${times}], peak RSS ${mb.toFixed(0)} MB (worst ${worst.mb.toFixed(0)})${layers === undefined ? '' : `, JSON layers ${layers}`}${expectedExit === 2 ? ', refused (exit 2, over the node budget)' : ''}${target}`);
        if (bad) {
          failed = true;
          console.log(`  exit ${bad.exitCode}: ${bad.stderr}`);
        }
        if (typeof layers === 'string' || (typeof layers === 'number' && layers !== c.nodes)) failed = true;
      }
    }
    console.log('Measured on this machine (wall time of the whole child process, median of interleaved runs).');
    return failed ? 1 : 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
