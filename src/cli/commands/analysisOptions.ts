import * as path from 'node:path';
import { DEFAULT_MAX_GRAPH_NODES } from '../../core/graph/nodeBudget';
import type { AnalyzeFileOptions } from '../../core/pipeline/options';
import type { Analysis } from '../../core/energy/analysis';
import { checkEnergyBudget, isReportFormat, REPORT_FORMATS, type ReportFormat } from '../../core/report';
import { UsageError, type Options, type OptionSpec } from '../args';
import type { CliIo } from '../io';
import { writeOutputFile } from '../safeOutput';

/** Options shared by every command that analyses a model; parsing and checking only, no analysis. */

export const PROFILE_OPTION: OptionSpec = { name: 'profile', kind: 'string', valueName: 'ID', description: 'hardware profile id (see `joule profiles`); default laptop-x86' };

export const MAX_NODES_OPTION: OptionSpec = { name: 'max-nodes', kind: 'number', valueName: 'N', description: `node budget of a model's graph, subgraphs included (default ${DEFAULT_MAX_GRAPH_NODES}): a larger graph is refused with exit 2 before it is read` };

export const ANALYSIS_OPTIONS: readonly OptionSpec[] = [
  PROFILE_OPTION,
  { name: 'batch', kind: 'number', valueName: 'N', description: 'batch size bound to the batch dimension (default 1)' },
  { name: 'dim', kind: 'list', valueName: 'NAME=VALUE', description: 'value of a symbolic dimension, e.g. --dim seq=128 (repeatable)' },
  { name: 'grid', kind: 'string', valueName: 'REGION', description: 'grid region for CO2e: country code or name (FR, Germany, US; default world)' },
  { name: 'intensity', kind: 'number', valueName: 'G', description: 'grid carbon intensity in g CO2e/kWh (overrides --grid)' },
  { name: 'pue', kind: 'number', valueName: 'P', description: 'power usage effectiveness of the data centre (>= 1)' },
  { name: 'profiles-dir', kind: 'string', valueName: 'DIR', description: 'folder of your own profiles (default .joule/profiles)' },
  MAX_NODES_OPTION,
  { name: 'input-shape', kind: 'string', valueName: 'N,C,H,W', description: 'Python model code: input shape, batch first, when the code does not say (e.g. 1,3,224,224)' },
];

export const FORMAT_OPTION: OptionSpec = { name: 'format', kind: 'string', valueName: REPORT_FORMATS.join('|'), description: 'output format (default table)' };
export const OUT_OPTION: OptionSpec = { name: 'out', kind: 'string', valueName: 'FILE', description: 'write the output to FILE instead of the terminal (never over an existing file or through a link, never over the input)' };
export const FORCE_OPTION: OptionSpec = { name: 'force', kind: 'flag', description: 'replace an existing output file (a link is replaced itself, never what it points to)' };
export const BUDGET_OPTION: OptionSpec = { name: 'budget-mj', kind: 'number', valueName: 'X', description: 'exit 1 when the energy per inference exceeds X millijoules' };

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${what} must be a whole number of at least 1, got ${value}.`);
  return value;
}

/** `--dim seq=128 --dim batch=4` -> { seq: 128, batch: 4 }. */
export function parseDims(entries: readonly string[]): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq).trim() : '';
    const text = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (name === '' || text === '') throw new UsageError(`--dim expects NAME=VALUE (e.g. --dim seq=128), got "${entry}".`);
    dims[name] = positiveInteger(Number(text), `--dim ${name}`);
  }
  return dims;
}

/** `--max-nodes N`, checked; undefined when not given. */
export function maxNodesFrom(options: Options): number | undefined {
  const n = options.number('max-nodes');
  return n === undefined ? undefined : positiveInteger(n, '--max-nodes');
}

/** The AnalyzeFileOptions that `--profile --batch --dim --grid --intensity --pue --profiles-dir --max-nodes` ask for. */
export function analyzeOptionsFrom(options: Options, io: CliIo, profileOption = 'profile'): AnalyzeFileOptions {
  const batch = options.number('batch');
  const intensity = options.number('intensity');
  const pue = options.number('pue');
  if (intensity !== undefined && intensity < 0) throw new UsageError(`--intensity must be 0 or more g CO2e/kWh, got ${intensity}.`);
  if (pue !== undefined && pue < 1) throw new UsageError(`--pue must be at least 1, got ${pue}.`);
  const dims = parseDims(options.list('dim'));
  const shapeText = options.string('input-shape');
  const inputShape = shapeText === undefined ? undefined : shapeText.split(/[,x×]/).map((d) => positiveInteger(Number(d.trim()), '--input-shape'));
  return {
    inputShape,
    profileId: options.string(profileOption),
    batch: batch === undefined ? undefined : positiveInteger(batch, '--batch'),
    dims: Object.keys(dims).length > 0 ? dims : undefined,
    gridRegion: options.string('grid'),
    gridIntensityGPerKWh: intensity,
    pue,
    userProfilesDir: path.resolve(io.cwd, options.string('profiles-dir') ?? path.join('.joule', 'profiles')),
    maxGraphNodes: maxNodesFrom(options),
  };
}

export function formatFrom(options: Options, fallback: ReportFormat = 'table'): ReportFormat {
  const format = options.string('format') ?? fallback;
  if (!isReportFormat(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got "${format}".`);
  return format;
}

export function budgetFrom(options: Options): number | undefined {
  const budget = options.number('budget-mj');
  if (budget !== undefined && budget < 0) throw new UsageError(`--budget-mj must be 0 or more, got ${budget}.`);
  return budget;
}

/**
 * Writes `text` (one string, or pieces written as they come) to `out` (default `--out`, relative to the working folder) or to stdout; says where
 * it went. Files go through writeOutputFile: never over the `inputs`, an existing file (without
 * `--force`) or through a link.
 */
export function emit(io: CliIo, text: string | Iterable<string>, options: Options, inputs: readonly string[], out = options.string('out')): void {
  if (out === undefined) {
    if (typeof text === 'string') io.stdout(text);
    else for (const piece of text) io.stdout(piece);
    return;
  }
  const file = path.resolve(io.cwd, out);
  writeOutputFile(file, text, { force: options.flag('force'), inputs: inputs.map((i) => path.resolve(io.cwd, i)) });
  io.stderr(`Wrote ${file}\n`);
}

/**
 * The CI gate: with a budget, prints the verdict on stderr (stdout may hold JSON) and returns 1 when
 * the estimate is over it; 0 otherwise.
 */
export function applyBudget(io: CliIo, analysis: Analysis, budgetMj: number | undefined): number {
  if (budgetMj === undefined) return 0;
  const verdict = checkEnergyBudget(analysis, budgetMj);
  io.stderr(`${verdict.withinBudget ? 'Energy budget met' : 'Energy budget exceeded'}: ${verdict.message}\n`);
  return verdict.withinBudget ? 0 : 1;
}
