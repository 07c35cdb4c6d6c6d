import * as path from 'node:path';
import * as vscode from 'vscode';
import { runPowerCapSweep, type MeasuredCapPoint } from '../../core/bench/capSweep';
import { listRuns, loadRun, saveRun } from '../../core/bench/runStore';
import { runBenchmark } from '../../core/bench/runner';
import type { BenchOptions, BenchResult } from '../../core/bench/types';
import { CancelledError } from '../../core/errors';
import { toBenchView } from '../benchView';
import { offerBenchFit } from './benchFitOffer';
import { CommandIds } from '../commandIds';
import { prepareBenchmark } from '../../core/actions/benchmarkWithEstimate';
import { listProfiles } from '../../core/energy/profileRegistry';
import { analysisOptions, readConfig } from '../config';
import { pickModel } from '../pickModel';
import type { Services } from '../services';
import { requireTrust } from '../trust';

/** Model files that are variants of one another: model.onnx, model.int8.onnx, model.pruned.onnx… */
function sameFamily(a: string, b: string): boolean {
  const stem = (p: string) => path.basename(p).split('.')[0];
  return path.dirname(a) === path.dirname(b) && stem(a) === stem(b);
}

/** The latest saved run of each variant of `model` (itself excluded). */
async function variantRuns(workspace: string | undefined, model: string, current: BenchResult) {
  if (!workspace) return [];
  const { runs } = await listRuns(workspace);
  const latest = new Map<string, (typeof runs)[number]>();
  for (const run of runs) {
    if (!sameFamily(run.model, model)) continue;
    const prev = latest.get(run.model);
    if (!prev || prev.date < run.date) latest.set(run.model, run);
  }
  const variants = [];
  for (const run of latest.values()) {
    const saved = await loadRun(run.file).catch(() => undefined);
    if (saved && saved.result.modelPath !== current.modelPath) variants.push({ run, result: saved.result });
  }
  return [{ run: { file: '', date: current.protocol.date, model, p50Ms: current.latencyMs.p50, provider: current.protocol.runtime.provider, energySource: current.energy.source, label: `${path.basename(model)} (this run)` }, result: current }, ...variants];
}

/** The input values set for the model (Joule: Set Input Values…); a bad one is reported, not ignored. */
function givenInputs(s: Services, uri: vscode.Uri): Pick<BenchOptions, 'inputs'> | undefined {
  try {
    const inputs = s.modelInputs?.values(uri);
    return inputs ? { inputs } : {};
  } catch (e) {
    void vscode.window.showErrorMessage(`Joule: the input values set for ${path.basename(uri.fsPath)} cannot be used: ${(e as Error).message}. Change them with Joule: Set Input Values….`);
    return undefined;
  }
}

/** Joule: Run Benchmark… — measures the model with onnxruntime-node in a child process. */
/** `options.sweep` skips the question (for the report's buttons, scripts and tests). */
export async function runBenchmarkCommand(s: Services, arg?: unknown, request?: { sweep?: boolean }): Promise<BenchResult | undefined> {
  if (!(await requireTrust('Benchmarking a model'))) return undefined;
  const uri = await pickModel(arg, s.reports.activeUri, 'Benchmark which model?', { onnxOnly: true });
  if (!uri) return undefined;
  const kind = request?.sweep !== undefined ? { sweep: request.sweep } : await vscode.window.showQuickPick(
    [
      { label: 'Benchmark', detail: 'Latency, throughput, memory and energy (measured when a meter is readable, else estimated).', sweep: false },
      { label: 'Benchmark with power-cap sweep', detail: 'Also measures energy versus latency across thread counts (and CPU frequency limits where allowed).', sweep: true },
    ],
    { title: `Benchmark ${path.basename(uri.fsPath)}` },
  );
  if (!kind) return undefined;
  const config = readConfig(uri);
  const workspace = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  const inputs = givenInputs(s, uri);
  if (!inputs) return undefined;
  const requested: BenchOptions = {
    modelPath: uri.fsPath,
    iterations: config.benchIterations,
    warmup: config.benchWarmup,
    intraOpThreads: config.benchThreads > 0 ? config.benchThreads : undefined,
    timeoutS: config.benchTimeoutSeconds,
    batch: config.batch,
    // The dims set in the model's report too, so the benchmark runs the input the report estimates.
    dims: { ...config.dimensions, ...s.modelDims?.get(uri) },
    ...inputs,
  };
  // Estimates beside the measurement come from this machine's calibrated profile when there is one;
  // the estimate comes first, its layer names let the profiler's nodes map back to layers.
  const prepared = await prepareBenchmark({
    bench: requested,
    profiles: listProfiles(await s.profiles.user(uri)),
    defaultProfileId: config.hardwareProfile,
    analyze: (profileId) => s.analyses.analyze(uri, analysisOptions(config, uri, profileId, s.modelDims?.get(uri))),
  });
  const { analysis, modelledCaps, profileId } = prepared;
  if (prepared.profileNote) {
    s.log.info(prepared.profileNote);
    void vscode.window.showInformationMessage(`Joule: ${prepared.profileNote}`, 'Calibrate').then((c) => c && vscode.commands.executeCommand(CommandIds.calibrateMachine));
  }
  if (prepared.estimateNote) s.log.warn(prepared.estimateNote);
  try {
    const { result, measuredCaps } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Joule: benchmarking ${path.basename(uri.fsPath)}`, cancellable: true },
      async (progress, token) => {
        const signal = { get cancelled() { return token.isCancellationRequested; } };
        const run = prepared.bench;
        const result = await runBenchmark(run, (p) => progress.report({ message: `${p.phase} ${p.total > 1 ? `${p.done}/${p.total}` : ''}` }), signal);
        let measuredCaps: MeasuredCapPoint[] = [];
        if (kind.sweep) {
          progress.report({ message: 'power-cap sweep…' });
          measuredCaps = [...(await runPowerCapSweep({ ...run, iterations: Math.min(run.iterations ?? 50, 50), profile: false }, {}, {}, undefined, signal)).measured];
        }
        return { result, measuredCaps };
      },
    );
    if (workspace) await saveRun(workspace, result).catch((e: Error) => s.log.warn(`Could not save the run: ${e.message}`));
    const variants = await variantRuns(workspace, uri.fsPath, result).catch(() => []);
    s.log.info(`Benchmark of ${uri.fsPath}: p50 ${result.latencyMs.p50.toFixed(3)} ms, energy ${result.energy.joulesPerInference.toExponential(3)} J/inference (${result.energy.kind}, ${result.energy.source})`);
    s.showBench(uri, toBenchView(result, { analysis, modelledCaps, measuredCaps, variants }));
    void offerBenchFit(s, result, analysis, analysisOptions(config, uri, profileId));
    return result;
  } catch (e) {
    if (e instanceof CancelledError) {
      void vscode.window.showInformationMessage('Joule: benchmark cancelled.');
      return undefined;
    }
    s.log.error(`Benchmark of ${uri.fsPath} failed: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(`Joule: benchmark of ${path.basename(uri.fsPath)} failed: ${(e as Error).message}`);
    return undefined;
  }
}
