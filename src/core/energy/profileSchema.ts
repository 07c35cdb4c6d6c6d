/**
 * The schema of a hardware profile (the JSON files in ./profiles and users' `.joule/profiles/*.json`)
 * and a hand-written validator that reports every bad field with its JSON path.
 *
 * Every number is a `Sourced` value: the number, the key of the source it comes from (listed in the
 * profile's `sources`), whether it is approximate ([U] in ENERGY-DATA.md) and an optional note saying
 * how it was derived. Nothing in a profile is a bare constant.
 */
import type { Precision } from '../cost/types';

export const PRECISIONS: readonly Precision[] = ['fp64', 'fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'int32', 'int16', 'int8', 'int4'];

export const PROFILE_KINDS = [
  'mcu', 'mobile-npu', 'edge-accelerator', 'embedded-gpu', 'cpu', 'gpu', 'dataflow-asic', 'fpga', 'pim',
] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

export interface Sourced {
  readonly value: number;
  /** Key into the profile's `sources`. */
  readonly source: string;
  /** True for values not verified from a primary source ([U]): shown as approximate. */
  readonly approx?: boolean;
  /** How the value was derived (scaling factors, arithmetic). */
  readonly note?: string;
}

export interface MemoryLevel {
  /** Short name used as the key of `bytes.byLevel` (e.g. 'rf', 'l2', 'hbm'). */
  readonly name: string;
  readonly onChip: boolean;
  /** Total capacity of the level, bytes (decides whether a working set fits). */
  readonly capacityBytes: Sourced;
  /** Capacity one compute unit can tile into (per SM, per core, per PE); defaults to capacityBytes. */
  readonly tileBytes?: Sourced;
  readonly bandwidthBytesPerS: Sourced;
  readonly energyPJPerByte: Sourced;
  /** Holds weights only (embedded flash, crossbar arrays): activations are never placed here. */
  readonly readOnly?: boolean;
}

export const KERNEL_EFFICIENCY_KEYS = ['conv', 'depthwise', 'convInteger'] as const;
export type KernelEfficiencyKey = (typeof KERNEL_EFFICIENCY_KEYS)[number];

export interface HardwareProfile {
  readonly schemaVersion: 1;
  readonly id: string;
  readonly name: string;
  readonly kind: ProfileKind;
  readonly processNm: Sourced;
  /** Dense peak arithmetic of the matrix/MAC units per precision, ops/s (1 MAC = 2 ops). */
  readonly peakOpsPerS: Readonly<Partial<Record<Precision, Sourced>>>;
  /** Peak of the vector/scalar units for elementwise and transcendental ops, ops/s. */
  readonly vectorOpsPerS: Sourced;
  /** Energy of one multiply-accumulate per precision, picojoules. */
  readonly energyPerMacPJ: Readonly<Partial<Record<Precision, Sourced>>>;
  readonly otherOpEnergyPJ: { readonly elementwise: Sourced; readonly transcendental: Sourced };
  /** Ordered from the innermost (closest to the datapath) to the outermost level. */
  readonly memory: readonly MemoryLevel[];
  /** Operand storage inside the datapath (registers) that the innermost level's reuse is computed for. */
  readonly registerReuseBytes?: Sourced;
  /**
   * Where weights live across inferences when the whole model's weights fit in that level
   * (Edge TPU parameter caching, processing-in-memory arrays). `inSitu`: the MACs happen inside the
   * level, so reading weights moves nothing (its cost is in energyPerMacPJ).
   */
  readonly weightResidence?: { readonly level: string; readonly inSitu: boolean };
  /**
   * The chip encodes activations on their way to off-chip memory (Eyeriss' run-length coding of
   * zeros): a tensor that holds ReLU zeros is stored at `bitsPerNonZero` per non-zero value, assuming
   * `zeroFraction` of its values are zero; other tensors are stored raw (activationCodec.ts).
   */
  readonly activationCodec?: { readonly bitsPerNonZero: Sourced; readonly zeroFraction: Sourced };
  readonly idlePowerW: Sourced;
  readonly maxPowerW: Sourced;
  /**
   * Board power while kernels keep the chip busy (clocks, schedulers, register files: power the
   * per-op and per-byte energies do not attribute). A layer draws idle + (active - idle) x its busy
   * share, or idle + its ops and bytes when that is more (docs/energy-model.md, "Power model").
   * Absent: static power is idle power (profiles whose per-op energies already include it).
   */
  readonly activePowerW?: Sourced;
  /**
   * Share of a busy chip's power that its per-op and per-byte energies leave out (clock network,
   * control, leakage), from a power breakdown of the chip: a layer draws at least its ops and bytes
   * × share / (1 − share) on top of them (docs/energy-model.md, "Power model"). For accelerators
   * whose per-op energies come from datapath and memory figures alone (Eyeriss).
   */
  readonly unattributedPowerShare?: Sourced;
  /** Lowest settable power cap, W (power-cap model); absent when the device cannot be capped. */
  readonly minPowerCapW?: Sourced;
  readonly efficiency: { readonly compute: Sourced; readonly memory: Sourced };
  /**
   * Measured matrix efficiency of kernel classes relative to a large dense GEMM (`joule calibrate`):
   * dense and depthwise convolutions, and ConvInteger relative to the fp32 convolution. Overrides the
   * runtime's defaults where given.
   */
  readonly kernelEfficiency?: Readonly<Partial<Record<KernelEfficiencyKey, Sourced>>>;
  /**
   * Measured error of this profile's latency estimates against a benchmark on the machine it describes
   * (`joule bench --fit`): the root mean square of ln(measured / estimated) over the run's kernels.
   * It sets the width of every estimate's uncertainty band (src/core/energy/uncertainty.ts).
   */
  readonly fitError?: Sourced;
  /** Fixed cost of dispatching one operator (kernel launch, interpreter step), seconds. */
  readonly perOpOverheadS: Sourced;
  /** Hardware doubles MAC throughput on 2:4 structured-sparse weights (Ampere and later). */
  readonly sparsity24: boolean;
  /** Source key -> citation. */
  readonly sources: Readonly<Record<string, string>>;
  readonly notes?: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly profile: HardwareProfile }
  | { readonly ok: false; readonly errors: readonly string[] };

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects errors as `path: message` while walking the document. */
class Checker {
  readonly errors: string[] = [];
  constructor(private readonly sourceKeys: ReadonlySet<string>) {}

  fail(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`);
  }

  string(obj: Record<string, Json>, key: string, path: string, optional = false): void {
    const v = obj[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || v.length === 0) this.fail(`${path}.${key}`, 'expected a non-empty string');
  }

  boolean(obj: Record<string, Json>, key: string, path: string, optional = false): void {
    const v = obj[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'boolean') this.fail(`${path}.${key}`, 'expected true or false');
  }

  /** A Sourced value; `min` is exclusive when `positive`. */
  sourced(v: Json, path: string, range: { positive?: boolean; max?: number } = { positive: true }): void {
    if (!isObject(v)) {
      this.fail(path, 'expected { "value": number, "source": string, "approx"?: boolean, "note"?: string }');
      return;
    }
    const value = v['value'];
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`${path}.value`, 'expected a finite number');
    else if (range.positive === true && value <= 0) this.fail(`${path}.value`, `expected a number > 0, got ${value}`);
    else if (value < 0) this.fail(`${path}.value`, `expected a number >= 0, got ${value}`);
    else if (range.max !== undefined && value > range.max) this.fail(`${path}.value`, `expected at most ${range.max}, got ${value}`);
    const source = v['source'];
    if (typeof source !== 'string' || source.length === 0) this.fail(`${path}.source`, 'expected the key of an entry in "sources"');
    else if (!this.sourceKeys.has(source)) this.fail(`${path}.source`, `"${source}" is not listed in "sources"`);
    this.boolean(v, 'approx', path, true);
    this.string(v, 'note', path, true);
    for (const key of Object.keys(v)) {
      if (!['value', 'source', 'approx', 'note'].includes(key)) this.fail(`${path}.${key}`, 'unknown field');
    }
  }

  perPrecision(v: Json, path: string): void {
    if (!isObject(v)) {
      this.fail(path, 'expected an object keyed by precision (fp32, fp16, int8, ...)');
      return;
    }
    if (Object.keys(v).length === 0) this.fail(path, 'expected at least one precision');
    for (const [key, entry] of Object.entries(v)) {
      if (!(PRECISIONS as readonly string[]).includes(key)) this.fail(`${path}.${key}`, `unknown precision (one of ${PRECISIONS.join(', ')})`);
      else this.sourced(entry, `${path}.${key}`);
    }
  }
}

const TOP_LEVEL_KEYS = new Set([
  'schemaVersion', 'id', 'name', 'kind', 'processNm', 'peakOpsPerS', 'vectorOpsPerS', 'energyPerMacPJ',
  'otherOpEnergyPJ', 'memory', 'registerReuseBytes', 'weightResidence', 'activationCodec', 'idlePowerW', 'maxPowerW', 'activePowerW', 'unattributedPowerShare',
  'minPowerCapW', 'efficiency', 'kernelEfficiency', 'fitError', 'perOpOverheadS', 'sparsity24', 'sources', 'notes',
]);

/** Validates a parsed JSON document; on success the document is typed as a HardwareProfile. */
export function validateProfile(doc: Json): ValidationResult {
  if (!isObject(doc)) return { ok: false, errors: ['$: expected a JSON object'] };
  const sources = doc['sources'];
  const sourceKeys = new Set<string>();
  const pre: string[] = [];
  if (!isObject(sources) || Object.keys(sources).length === 0) {
    pre.push('$.sources: expected an object mapping source keys to citations');
  } else {
    for (const [key, citation] of Object.entries(sources)) {
      if (typeof citation !== 'string' || citation.length === 0) pre.push(`$.sources.${key}: expected a citation string`);
      sourceKeys.add(key);
    }
  }
  const c = new Checker(sourceKeys);
  c.errors.push(...pre);

  for (const key of Object.keys(doc)) if (!TOP_LEVEL_KEYS.has(key)) c.fail(`$.${key}`, 'unknown field');
  if (doc['schemaVersion'] !== 1) c.fail('$.schemaVersion', 'expected 1');
  c.string(doc, 'id', '$');
  if (typeof doc['id'] === 'string' && !/^[a-z0-9][a-z0-9._-]*$/.test(doc['id'])) {
    c.fail('$.id', 'expected lower-case letters, digits, ".", "_" or "-"');
  }
  c.string(doc, 'name', '$');
  if (!(PROFILE_KINDS as readonly Json[]).includes(doc['kind'])) c.fail('$.kind', `expected one of ${PROFILE_KINDS.join(', ')}`);
  c.sourced(doc['processNm'], '$.processNm');
  c.perPrecision(doc['peakOpsPerS'], '$.peakOpsPerS');
  c.sourced(doc['vectorOpsPerS'], '$.vectorOpsPerS');
  c.perPrecision(doc['energyPerMacPJ'], '$.energyPerMacPJ');
  const other = doc['otherOpEnergyPJ'];
  if (!isObject(other)) c.fail('$.otherOpEnergyPJ', 'expected { "elementwise": Sourced, "transcendental": Sourced }');
  else {
    c.sourced(other['elementwise'], '$.otherOpEnergyPJ.elementwise');
    c.sourced(other['transcendental'], '$.otherOpEnergyPJ.transcendental');
  }
  const levelNames = checkMemory(c, doc['memory']);
  if (doc['registerReuseBytes'] !== undefined) c.sourced(doc['registerReuseBytes'], '$.registerReuseBytes', { positive: false });
  const residence = doc['weightResidence'];
  if (residence !== undefined) {
    if (!isObject(residence)) c.fail('$.weightResidence', 'expected { "level": string, "inSitu": boolean }');
    else {
      c.string(residence, 'level', '$.weightResidence');
      c.boolean(residence, 'inSitu', '$.weightResidence');
      if (typeof residence['level'] === 'string' && !levelNames.has(residence['level'])) {
        c.fail('$.weightResidence.level', `"${residence['level']}" is not a memory level of this profile`);
      }
    }
  }
  checkActivationCodec(c, doc['activationCodec']);
  c.sourced(doc['idlePowerW'], '$.idlePowerW', { positive: false });
  c.sourced(doc['maxPowerW'], '$.maxPowerW');
  if (doc['minPowerCapW'] !== undefined) c.sourced(doc['minPowerCapW'], '$.minPowerCapW');
  if (doc['activePowerW'] !== undefined) c.sourced(doc['activePowerW'], '$.activePowerW');
  if (doc['unattributedPowerShare'] !== undefined) c.sourced(doc['unattributedPowerShare'], '$.unattributedPowerShare', { positive: false, max: 0.9 });
  checkPowerOrder(c, doc);
  const eff = doc['efficiency'];
  if (!isObject(eff)) c.fail('$.efficiency', 'expected { "compute": Sourced, "memory": Sourced }');
  else {
    c.sourced(eff['compute'], '$.efficiency.compute', { positive: true, max: 1 });
    c.sourced(eff['memory'], '$.efficiency.memory', { positive: true, max: 1 });
  }
  c.sourced(doc['perOpOverheadS'], '$.perOpOverheadS', { positive: false });
  if (doc['fitError'] !== undefined) c.sourced(doc['fitError'], '$.fitError', { positive: false, max: 5 });
  const kernels = doc['kernelEfficiency'];
  if (kernels !== undefined) {
    if (!isObject(kernels)) c.fail('$.kernelEfficiency', `expected an object with ${KERNEL_EFFICIENCY_KEYS.join(', ')}`);
    else {
      for (const [key, entry] of Object.entries(kernels)) {
        if (!(KERNEL_EFFICIENCY_KEYS as readonly string[]).includes(key)) c.fail(`$.kernelEfficiency.${key}`, `unknown kernel class (one of ${KERNEL_EFFICIENCY_KEYS.join(', ')})`);
        else c.sourced(entry, `$.kernelEfficiency.${key}`, { positive: true, max: 4 });
      }
    }
  }
  c.boolean(doc, 'sparsity24', '$');
  c.string(doc, 'notes', '$', true);
  return c.errors.length === 0 ? { ok: true, profile: doc as unknown as HardwareProfile } : { ok: false, errors: c.errors };
}

function checkMemory(c: Checker, memory: Json): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(memory) || memory.length === 0) {
    c.fail('$.memory', 'expected a non-empty array of memory levels, innermost first');
    return names;
  }
  memory.forEach((level: Json, i) => {
    const path = `$.memory[${i}]`;
    if (!isObject(level)) {
      c.fail(path, 'expected a memory level object');
      return;
    }
    c.string(level, 'name', path);
    const name = level['name'];
    if (typeof name === 'string') {
      if (names.has(name)) c.fail(`${path}.name`, `duplicate level name "${name}"`);
      names.add(name);
    }
    c.boolean(level, 'onChip', path);
    c.boolean(level, 'readOnly', path, true);
    c.sourced(level['capacityBytes'], `${path}.capacityBytes`);
    if (level['tileBytes'] !== undefined) c.sourced(level['tileBytes'], `${path}.tileBytes`);
    c.sourced(level['bandwidthBytesPerS'], `${path}.bandwidthBytesPerS`);
    c.sourced(level['energyPJPerByte'], `${path}.energyPJPerByte`, { positive: false });
    for (const key of Object.keys(level)) {
      if (!['name', 'onChip', 'capacityBytes', 'tileBytes', 'bandwidthBytesPerS', 'energyPJPerByte', 'readOnly'].includes(key)) {
        c.fail(`${path}.${key}`, 'unknown field');
      }
    }
  });
  const onChipAfterOffChip = memory.findIndex((l: Json, i) => i > 0 && isObject(l) && l['onChip'] === true && isObject(memory[i - 1]) && (memory[i - 1] as Record<string, Json>)['onChip'] === false);
  if (onChipAfterOffChip > 0) c.fail(`$.memory[${onChipAfterOffChip}].onChip`, 'on-chip levels must come before off-chip levels (innermost first)');
  return names;
}

function checkActivationCodec(c: Checker, codec: Json): void {
  if (codec === undefined) return;
  if (!isObject(codec)) {
    c.fail('$.activationCodec', 'expected { "bitsPerNonZero": Sourced, "zeroFraction": Sourced }');
    return;
  }
  c.sourced(codec['bitsPerNonZero'], '$.activationCodec.bitsPerNonZero');
  c.sourced(codec['zeroFraction'], '$.activationCodec.zeroFraction', { positive: false, max: 0.99 });
  for (const key of Object.keys(codec)) {
    if (key !== 'bitsPerNonZero' && key !== 'zeroFraction') c.fail(`$.activationCodec.${key}`, 'unknown field');
  }
}

function checkPowerOrder(c: Checker, doc: Record<string, Json>): void {
  const value = (v: Json): number | undefined => (isObject(v) && typeof v['value'] === 'number' ? v['value'] : undefined);
  const idle = value(doc['idlePowerW']);
  const max = value(doc['maxPowerW']);
  const minCap = value(doc['minPowerCapW']);
  const active = value(doc['activePowerW']);
  if (active !== undefined && idle !== undefined && max !== undefined && (active <= idle || active > max)) {
    c.fail('$.activePowerW.value', `expected a power between idle (${idle} W, exclusive) and max power (${max} W)`);
  }
  if (idle !== undefined && max !== undefined && idle >= max) c.fail('$.idlePowerW.value', `idle power (${idle} W) must be below max power (${max} W)`);
  if (minCap !== undefined && idle !== undefined && max !== undefined && (minCap <= idle || minCap > max)) {
    c.fail('$.minPowerCapW.value', `expected a cap between idle (${idle} W, exclusive) and max power (${max} W)`);
  }
}
