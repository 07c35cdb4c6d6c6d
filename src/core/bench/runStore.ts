/**
 * Benchmark history: each run is one JSON file in `<workspace>/.joule/runs/`, named
 * `<UTC timestamp>_<model name>_<short id>.json` with only [A-Za-z0-9._-] in it, so model names from
 * untrusted files can never escape the folder or clash with each other.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { BenchResult } from './types';

export const RUNS_FOLDER = path.join('.joule', 'runs');
export const RUN_FILE_VERSION = 1;

export interface SavedRun {
  readonly joule: 'bench-run';
  readonly version: number;
  /** Optional user label, e.g. 'int8' or 'pruned 50%'. */
  readonly label?: string;
  readonly result: BenchResult;
}

export interface RunSummary {
  readonly file: string;
  readonly date: string;
  readonly model: string;
  readonly label?: string;
  readonly p50Ms: number;
  readonly provider: string;
  readonly energySource: string;
}

/** A file-name-safe form of any text: other characters become '_', length capped. */
export function safeName(text: string, maxLength = 60): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, maxLength);
  return cleaned.length > 0 ? cleaned : 'model';
}

export function runsFolder(workspace: string): string {
  return path.join(workspace, RUNS_FOLDER);
}

/** Saves a run and returns the file's path. `folder` overrides `<workspace>/.joule/runs`. */
export async function saveRun(workspace: string, result: BenchResult, options: { label?: string; folder?: string } = {}): Promise<string> {
  const folder = options.folder ?? runsFolder(workspace);
  await fsp.mkdir(folder, { recursive: true });
  const stamp = result.protocol.date.replace(/[:.]/g, '-');
  const model = safeName(path.basename(result.modelPath, path.extname(result.modelPath)));
  const file = path.join(folder, `${stamp}_${model}_${randomBytes(3).toString('hex')}.json`);
  const saved: SavedRun = { joule: 'bench-run', version: RUN_FILE_VERSION, ...(options.label ? { label: options.label } : {}), result };
  // 'wx': never overwrite an existing run.
  await fsp.writeFile(file, `${JSON.stringify(saved, null, 2)}\n`, { flag: 'wx' });
  return file;
}

function isSavedRun(value: unknown): value is SavedRun {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SavedRun>;
  return v.joule === 'bench-run' && typeof v.version === 'number' && typeof v.result === 'object' && v.result !== null &&
    typeof v.result.latencyMs?.p50 === 'number' && typeof v.result.protocol?.date === 'string';
}

export async function loadRun(file: string): Promise<SavedRun> {
  const parsed: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
  if (!isSavedRun(parsed)) throw new Error(`${file} is not a Joule benchmark run`);
  if (parsed.version > RUN_FILE_VERSION) throw new Error(`${file} was written by a newer Joule (run format ${parsed.version})`);
  return parsed;
}

/** Saved runs, newest first; unreadable files are skipped (and named in `skipped`). */
export async function listRuns(workspace: string, folder = runsFolder(workspace)): Promise<{ runs: RunSummary[]; skipped: string[] }> {
  let names: string[];
  try {
    names = (await fsp.readdir(folder)).filter((n) => n.endsWith('.json'));
  } catch {
    return { runs: [], skipped: [] };
  }
  const runs: RunSummary[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    try {
      const { result, label } = await loadRun(file);
      runs.push({
        file,
        date: result.protocol.date,
        model: result.protocol.model.fileName,
        ...(label ? { label } : {}),
        p50Ms: result.latencyMs.p50,
        provider: result.protocol.runtime.provider,
        energySource: result.energy.source,
      });
    } catch {
      skipped.push(file);
    }
  }
  runs.sort((a, b) => b.date.localeCompare(a.date));
  return { runs, skipped };
}
