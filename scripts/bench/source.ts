/**
 * Benchmark of the Python model-code analysis (issue 5: hints within 50 ms of typing on a 1,000-line
 * file; target analyzePythonSource ≤ 20 ms). Generates a 1,000-line file mixing PyTorch classes with
 * forward(), nn.Sequential, Keras Sequential and functional models, then times parse and analysis.
 * Standalone: `node out/scripts/bench/source.js` prints one JSON object.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parser } from '@lezer/python';
import { analyzePythonSource } from '../../src/core/pycode/analyzePythonSource';
import { PythonSourceSession } from '../../src/core/pycode/incremental';

const TARGET_LINES = 1000;
const RUNS = 40;
const WARMUP_RUNS = 40;

function torchBlock(index: number): string[] {
  return [
    `# joule: input=(1, 3, 64, 64)`,
    `class Block${index}(nn.Module):`,
    `    def __init__(self, width=WIDTH + ${index % 4}, classes=10):`,
    `        super().__init__()`,
    `        self.conv1 = nn.Conv2d(3, width, 3, padding=1, bias=False)`,
    `        self.bn1 = nn.BatchNorm2d(width)`,
    `        self.conv2 = nn.Conv2d(width, 2 * width, 3, stride=2, padding=1)`,
    `        self.pool = nn.AdaptiveAvgPool2d((4, 4))`,
    `        self.fc = nn.Linear(2 * width * 16, classes)`,
    ``,
    `    def forward(self, x):`,
    `        x = F.relu(self.bn1(self.conv1(x)))`,
    `        x = self.pool(F.relu(self.conv2(x)))`,
    `        x = x.view(x.size(0), -1)`,
    `        return self.fc(x)`,
    ``,
    ``,
  ];
}

function sequentialBlock(index: number): string[] {
  return [
    `# joule: input=(1, 784)`,
    `mlp${index} = nn.Sequential(`,
    `    nn.Linear(784, HIDDEN),`,
    `    nn.ReLU(),`,
    `    nn.Dropout(0.1),`,
    `    nn.Linear(HIDDEN, HIDDEN // 2),`,
    `    nn.ReLU(),`,
    `    nn.Linear(HIDDEN // 2, 10),`,
    `)`,
    ``,
  ];
}

function kerasBlock(index: number): string[] {
  return [
    `def build_${index}(num_classes=10):`,
    `    inputs = keras.Input(shape=(32, 32, 3))`,
    `    x = layers.Conv2D(16, 3, padding="same")(inputs)`,
    `    x = layers.BatchNormalization()(x)`,
    `    x = layers.DepthwiseConv2D(3, strides=2, padding="same")(x)`,
    `    x = layers.GlobalAveragePooling2D()(x)`,
    `    outputs = layers.Dense(num_classes)(x)`,
    `    return keras.Model(inputs, outputs)`,
    ``,
    ``,
  ];
}

export function generateModelFile(targetLines: number): string {
  const lines = [
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    'import keras',
    'from keras import layers',
    '',
    'WIDTH = 32',
    'HIDDEN = 256',
    '',
  ];
  for (let index = 0; lines.length < targetLines; index++) {
    const block = index % 3 === 0 ? torchBlock(index) : index % 3 === 1 ? sequentialBlock(index) : kerasBlock(index);
    lines.push(...block);
  }
  return lines.slice(0, targetLines).join('\n') + '\n';
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

interface Timing {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  /** Process CPU time per run: less sensitive than wall time to other processes on a shared machine. */
  readonly cpuMsPerRun: number;
}

function time(runs: number, work: (run: number) => void): Timing {
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work(i);
    samples.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  samples.sort((a, b) => a - b);
  const round = (value: number): number => Math.round(value * 100) / 100;
  return {
    medianMs: round(percentile(samples, 0.5)), p95Ms: round(percentile(samples, 0.95)), minMs: round(samples[0]!),
    cpuMsPerRun: round((cpu.user + cpu.system) / 1000 / runs),
  };
}

/** Simulates typing: each run changes one digit of a layer argument in the middle of the file. */
function typingEdits(text: string, runs: number): string[] {
  const anchor = text.indexOf('nn.Linear(784, HIDDEN)', text.length / 2) + 'nn.Linear('.length;
  return Array.from({ length: runs }, (_, run) => `${text.slice(0, anchor)}${700 + run}${text.slice(anchor + 3)}`);
}

function main(): void {
  const text = generateModelFile(TARGET_LINES);
  const coldStart = performance.now();
  const analysis = analyzePythonSource(text);
  const coldMs = Math.round((performance.now() - coldStart) * 100) / 100;
  // Warm up the JIT the way an editor session does within its first seconds of typing.
  for (let i = 0; i < WARMUP_RUNS; i++) analyzePythonSource(text);
  const parse = time(RUNS, () => parser.parse(text));
  const analyze = time(RUNS, () => analyzePythonSource(text));
  const session = new PythonSourceSession();
  session.analyze(text);
  const edits = typingEdits(text, RUNS);
  const incremental = time(RUNS, (run) => session.analyze(edits[run]!));
  const result = {
    benchmark: 'source-analysis',
    lines: text.split('\n').length - 1,
    layers: analysis.layers.length,
    models: analysis.models.length,
    modelsWithMacs: analysis.models.filter((model) => model.totals.macs !== undefined).length,
    runs: RUNS,
    warmupRuns: WARMUP_RUNS,
    firstRunMs: coldMs,
    cpus: os.cpus().length,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    parse,
    analyzePythonSource: analyze,
    incrementalTyping: incremental,
    targetMs: 20,
    meetsTarget: analyze.p95Ms <= 20,
    meetsTargetOnCpuTime: analyze.cpuMsPerRun <= 20,
  };
  console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) main();
