import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_MAX_GRAPH_NODES } from '../core/graph/nodeBudget';
import type { AnalyzeFileOptions } from '../core/pipeline/options';
import type { HotspotRule } from '../core/report/hotspots';

/** Mirrors `contributes.configuration` in package.json: one typed view of Joule's settings. */
export interface JouleConfig {
  readonly hardwareProfile: string;
  readonly profilesFolder: string;
  readonly batch: number;
  readonly dimensions: Readonly<Record<string, number>>;
  readonly gridRegion: string;
  readonly gridIntensity: number | null;
  readonly pue: number;
  readonly hotspotThreshold: number;
  readonly hintsEnabled: boolean;
  readonly hintsDetail: 'compact' | 'full';
  readonly pythonInputShape: readonly number[];
  /** Most graph nodes an analysis reads (src/core/graph/nodeBudget.ts). */
  readonly maxGraphNodes: number;
  readonly benchIterations: number;
  readonly benchWarmup: number;
  readonly benchThreads: number;
  readonly benchTimeoutSeconds: number;
  /** Inputs (and labels.txt) transforms verify on; '' for generated inputs. */
  readonly transformVerificationData: string;
}

export const CONFIG_SECTION = 'joule';

export function readConfig(scope?: vscode.Uri): JouleConfig {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return {
    hardwareProfile: c.get<string>('hardwareProfile', 'laptop-x86'),
    profilesFolder: c.get<string>('profilesFolder', '.joule/profiles'),
    batch: Math.max(1, Math.floor(c.get<number>('batch', 1))),
    // Copies: configuration values are proxies that cannot be cloned into the analysis worker.
    dimensions: { ...c.get<Record<string, number>>('dimensions', {}) },
    gridRegion: c.get<string>('grid.region', 'world'),
    gridIntensity: c.get<number | null>('grid.intensity', null),
    pue: c.get<number>('pue', 1),
    hotspotThreshold: c.get<number>('hotspotThreshold', 0.2),
    hintsEnabled: c.get<boolean>('hints.enabled', true),
    hintsDetail: c.get<'compact' | 'full'>('hints.detail', 'compact'),
    pythonInputShape: [...c.get<number[]>('python.inputShape', [])],
    maxGraphNodes: Math.max(1, Math.floor(c.get<number>('maxGraphNodes', DEFAULT_MAX_GRAPH_NODES))),
    benchIterations: c.get<number>('benchmark.iterations', 100),
    benchWarmup: c.get<number>('benchmark.warmup', 10),
    benchThreads: c.get<number>('benchmark.threads', 0),
    benchTimeoutSeconds: c.get<number>('benchmark.timeoutSeconds', 300),
    transformVerificationData: c.get<string>('transform.verificationData', ''),
  };
}

/** Which layers every view calls hotspots: above the threshold, or else the top few with some weight. */
export function hotspotRule(config: JouleConfig): HotspotRule {
  return { minShare: config.hotspotThreshold, top: 3, topMinShare: 0.05 };
}

/** The folder of user hardware profiles for a file's workspace folder, when it has one. */
export function userProfilesDir(config: JouleConfig, scope?: vscode.Uri): string | undefined {
  const folder = scope ? vscode.workspace.getWorkspaceFolder(scope) : vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  // Untrusted workspaces cannot point Joule at arbitrary folders: the default location only.
  const relative = vscode.workspace.isTrusted ? config.profilesFolder : '.joule/profiles';
  return path.resolve(folder.uri.fsPath, relative);
}

/** The analysis options these settings give for a model file. */
/** Options of an analysis; `modelDims` (set for this model in its report) win over `joule.dimensions`. */
export function analysisOptions(config: JouleConfig, scope?: vscode.Uri, profileId = config.hardwareProfile, modelDims: Readonly<Record<string, number>> = {}): AnalyzeFileOptions {
  return {
    profileId,
    batch: config.batch,
    dims: { ...config.dimensions, ...modelDims },
    gridRegion: config.gridRegion,
    gridIntensityGPerKWh: config.gridIntensity ?? undefined,
    pue: config.pue,
    userProfilesDir: userProfilesDir(config, scope),
    maxGraphNodes: config.maxGraphNodes,
  };
}
