/**
 * Linux RAPL through the powercap sysfs tree (`/sys/class/powercap`). Only top-level package zones
 * `intel-rapl:N` are summed: sub-zones `intel-rapl:N:M` (core, uncore, dram) nest inside a package and
 * adding them would count energy twice. Counters are microjoules that wrap at `max_energy_range_uj`.
 * AMD CPUs expose the same interface since Linux 5.8. The root can be injected for tests.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { EnergyMeter, MeterReading } from './types';

export const DEFAULT_POWERCAP_ROOT = '/sys/class/powercap';

export interface RaplZone {
  readonly id: string;
  readonly name: string;
  readonly energyFile: string;
  readonly maxRangeUj: number;
}

export type RaplProbe =
  | { readonly ok: true; readonly zones: readonly RaplZone[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string; readonly permissionDenied: boolean };

const TOP_LEVEL_ZONE = /^intel-rapl:\d+$/;

/** How to grant read access to the counters, for the message shown when reading is denied. */
export function raplPermissionHint(energyFiles: readonly string[]): string {
  const files = energyFiles.length > 0 ? energyFiles.join(' ') : '/sys/class/powercap/intel-rapl:*/energy_uj';
  return (
    'RAPL energy counters are readable only by root since Linux 5.10 (CVE-2020-8694: power readings ' +
    'can leak secrets through a side channel). To measure, grant read access on a trusted machine, for ' +
    `this boot: \`sudo chmod o+r ${files}\` or \`sudo setfacl -m u:$USER:r ${files}\`; permanently: ` +
    'a udev rule such as `SUBSYSTEM=="powercap", ACTION=="add", RUN+="/bin/chmod o+r /sys%p/energy_uj"` ' +
    'in /etc/udev/rules.d/70-joule-rapl.rules. Until then Joule reports an estimate.'
  );
}

function isPermissionError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM';
}

/** Reads a sysfs file as text; injectable so tests can simulate a denied read even when run as root. */
export type TextReader = (file: string) => Promise<string>;
const readText: TextReader = (file) => fsp.readFile(file, 'utf8');

async function readNumber(file: string, read: TextReader = readText): Promise<number> {
  const text = (await read(file)).trim();
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${file}: '${text}' is not a number`);
  return value;
}

/** Finds readable top-level RAPL zones, or says why there are none. */
export async function probeRapl(root = DEFAULT_POWERCAP_ROOT, read: TextReader = readText): Promise<RaplProbe> {
  let entries: string[];
  try {
    entries = await fsp.readdir(root);
  } catch {
    return { ok: false, reason: `no powercap interface at ${root} (not Linux, or RAPL not exposed, e.g. inside a VM)`, permissionDenied: false };
  }
  const zoneIds = entries.filter((e) => TOP_LEVEL_ZONE.test(e)).sort();
  if (zoneIds.length === 0) return { ok: false, reason: `no RAPL package zones (intel-rapl:N) under ${root}`, permissionDenied: false };
  const zones: RaplZone[] = [];
  const denied: string[] = [];
  const notes: string[] = [];
  for (const id of zoneIds) {
    const dir = path.join(root, id);
    const energyFile = path.join(dir, 'energy_uj');
    const name = (await read(path.join(dir, 'name')).catch(() => id)).trim();
    // Intel laptops expose a top-level 'psys' (platform) zone that already contains the packages.
    if (name === 'psys') {
      notes.push(`${id} (psys, the whole platform) is not added: it already contains the CPU packages.`);
      continue;
    }
    try {
      await readNumber(energyFile, read);
      const maxRangeUj = await readNumber(path.join(dir, 'max_energy_range_uj'), read).catch(() => 2 ** 32);
      zones.push({ id, name, energyFile, maxRangeUj });
    } catch (e) {
      if (isPermissionError(e)) denied.push(energyFile);
      else return { ok: false, reason: `cannot read ${energyFile}: ${(e as Error).message}`, permissionDenied: false };
    }
  }
  if (denied.length > 0) return { ok: false, reason: raplPermissionHint(denied), permissionDenied: true };
  if (zones.length === 0) return { ok: false, reason: `no RAPL package zones under ${root} (only ${notes.length} platform zone(s))`, permissionDenied: false };
  return { ok: true, zones, notes };
}

/** Energy between two counter readings, adding the range once when the counter wrapped. */
export function counterDeltaUj(before: number, after: number, maxRangeUj: number): number {
  return after >= before ? after - before : after + maxRangeUj - before;
}

/**
 * Reads the package counters at start and stop, and every `pollMs` in between: a counter wraps after
 * `max_energy_range_uj` (tens of minutes at full power), and polling keeps long runs from wrapping twice
 * between two readings unnoticed.
 */
export class RaplMeter implements EnergyMeter {
  readonly source = 'rapl' as const;
  readonly kind = 'measured' as const;
  readonly scope = 'cpu-package';
  private lastUj: number[] = [];
  private accumulatedUj: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly zones: readonly RaplZone[],
    private readonly pollMs = 10_000,
  ) {}

  private readAll(): Promise<number[]> {
    return Promise.all(this.zones.map((z) => readNumber(z.energyFile)));
  }

  private async accumulate(): Promise<void> {
    const now = await this.readAll();
    now.forEach((value, i) => {
      const zone = this.zones[i] as RaplZone;
      this.accumulatedUj[i] = (this.accumulatedUj[i] ?? 0) + counterDeltaUj(this.lastUj[i] as number, value, zone.maxRangeUj);
    });
    this.lastUj = now;
  }

  async start(): Promise<void> {
    this.lastUj = await this.readAll();
    this.accumulatedUj = this.zones.map(() => 0);
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.accumulate()).catch(() => undefined);
    }, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<MeterReading> {
    this.abort();
    await this.polling;
    await this.accumulate();
    const domains = this.zones.map((zone, i) => ({ name: zone.name, joules: (this.accumulatedUj[i] ?? 0) / 1e6 }));
    return {
      joules: domains.reduce((sum, d) => sum + d.joules, 0),
      domains,
      notes: ['RAPL measures the whole CPU package (every process on it), not only the benchmark: run on a quiet machine.'],
    };
  }

  abort(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
