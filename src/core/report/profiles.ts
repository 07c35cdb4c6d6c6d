import type { Precision } from '../cost/types';
import type { HardwareProfile, Sourced } from '../energy/profileSchema';
import { memoryRoles } from '../energy/profileLookup';
import { renderJson } from './json';
import { alignColumns, printable, type Column } from './text';
import { formatBytes, formatCount, formatSeconds, threeDigits } from './units';

/**
 * Hardware profiles as text: the list (`joule profiles`) and one profile with every value's source
 * (`joule profiles --profile ID`). Profiles may come from users' folders, so strings are sanitized.
 */

/** "≈12.3" for approximate values, with the source key and how it was derived: "19.5 T [nvidia-a100]". */
function sourced(value: Sourced, format: (n: number) => string, withNote = true): string {
  return `${value.approx ? '≈' : ''}${format(value.value)} [${value.source}]${withNote && value.note ? ` (${value.note})` : ''}`;
}

function peak(profile: HardwareProfile, precision: Precision): string {
  const v = profile.peakOpsPerS[precision];
  return v === undefined ? '—' : `${v.approx ? '≈' : ''}${formatCount(v.value)}`;
}

function offChipBandwidth(profile: HardwareProfile): string {
  const roles = memoryRoles(profile);
  const level = roles.levels[roles.spill >= 0 ? roles.spill : roles.weightHome];
  return level === undefined ? '—' : `${formatBytes(level.bandwidthBytesPerS.value)}/s ${level.name}`;
}

const LIST_COLUMNS: readonly Column[] = [
  { header: 'id', align: 'left' },
  { header: 'name', align: 'left' },
  { header: 'kind', align: 'left' },
  { header: 'node', align: 'right' },
  { header: 'peak fp32 op/s', align: 'right' },
  { header: 'peak int8 op/s', align: 'right' },
  { header: 'outer memory', align: 'right' },
  { header: 'idle W', align: 'right' },
  { header: 'max W', align: 'right' },
];

export function renderProfileList(profiles: readonly HardwareProfile[], format: 'table' | 'json'): string {
  if (format === 'json') return renderJson(profiles.map((p) => ({ id: p.id, name: p.name, kind: p.kind })));
  const rows = profiles.map((p) => [
    printable(p.id),
    printable(p.name),
    p.kind,
    `${threeDigits(p.processNm.value)} nm`,
    peak(p, 'fp32'),
    peak(p, 'int8'),
    offChipBandwidth(p),
    threeDigits(p.idlePowerW.value),
    threeDigits(p.maxPowerW.value),
  ]);
  const lines = [
    ...alignColumns(LIST_COLUMNS, rows),
    '',
    '≈ marks approximate values. Details and sources: joule profiles --profile ID.',
  ];
  return `${lines.join('\n')}\n`;
}

export function renderProfileDetails(p: HardwareProfile, format: 'table' | 'json'): string {
  if (format === 'json') return renderJson(p);
  const num = (n: number): string => threeDigits(n);
  const lines: string[] = [
    `${printable(p.name)} (${printable(p.id)}), ${p.kind}, ${sourced(p.processNm, (n) => `${num(n)} nm`)}`,
    '',
    'Peak arithmetic (op/s, 1 MAC = 2 ops):',
    ...Object.entries(p.peakOpsPerS).map(([precision, v]) => `  ${precision.padEnd(5)} ${printable(sourced(v!, formatCount))}`),
    `  vector ${printable(sourced(p.vectorOpsPerS, formatCount))}`,
    'Energy per MAC (pJ):',
    ...Object.entries(p.energyPerMacPJ).map(([precision, v]) => `  ${precision.padEnd(5)} ${printable(sourced(v!, num))}`),
    `Other arithmetic (pJ/op): elementwise ${printable(sourced(p.otherOpEnergyPJ.elementwise, num))}, transcendental ${printable(sourced(p.otherOpEnergyPJ.transcendental, num))}`,
    '',
    'Memory levels (innermost first):',
    ...alignColumns(
      [
        { header: 'level', align: 'left' },
        { header: 'where', align: 'left' },
        { header: 'capacity', align: 'right' },
        { header: 'bandwidth', align: 'right' },
        { header: 'pJ/byte', align: 'right' },
      ],
      p.memory.map((m) => [
        printable(m.name),
        `${m.onChip ? 'on chip' : 'off chip'}${m.readOnly ? ', read-only' : ''}`,
        printable(sourced(m.capacityBytes, formatBytes, false)),
        printable(sourced(m.bandwidthBytesPerS, (n) => `${formatBytes(n)}/s`, false)),
        printable(sourced(m.energyPJPerByte, num, false)),
      ]),
    ).map((l) => `  ${l}`),
    // Derivation notes would make the table too wide: they follow it, one per line.
    ...p.memory.flatMap((m) =>
      (
        [
          ['capacity', m.capacityBytes],
          ['bandwidth', m.bandwidthBytesPerS],
          ['pJ/byte', m.energyPJPerByte],
        ] as const
      )
        .filter(([, v]) => v.note)
        .map(([what, v]) => `  ${printable(m.name)} ${what}: ${printable(v.note!)}`),
    ),
    '',
    `Power: idle ${printable(sourced(p.idlePowerW, (n) => `${num(n)} W`))}, max ${printable(sourced(p.maxPowerW, (n) => `${num(n)} W`))}` +
      (p.activePowerW ? `, busy ${printable(sourced(p.activePowerW, (n) => `${num(n)} W`))}` : '') +
      (p.minPowerCapW ? `, lowest cap ${printable(sourced(p.minPowerCapW, (n) => `${num(n)} W`))}` : ''),
    ...(p.unattributedPowerShare ? [`Power the per-op energies leave out (clock, control, leakage): ${printable(sourced(p.unattributedPowerShare, (n) => `${num(100 * n)}% of the chip's`))}`] : []),
    `Efficiency: compute ${printable(sourced(p.efficiency.compute, num))}, memory ${printable(sourced(p.efficiency.memory, num))}`,
    `Per-operator overhead: ${printable(sourced(p.perOpOverheadS, formatSeconds))}`,
    `2:4 sparsity speed-up: ${p.sparsity24 ? 'yes' : 'no'}`,
  ];
  if (p.activationCodec) {
    const codec = p.activationCodec;
    lines.push(`Activations with ReLU zeros go off chip encoded: ${printable(sourced(codec.bitsPerNonZero, (n) => `${num(n)} bits per non-zero value`))}, assuming ${printable(sourced(codec.zeroFraction, (n) => `${num(100 * n)}% zeros`))}`);
  }
  if (p.weightResidence) lines.push(`Weights stay in ${printable(p.weightResidence.level)}${p.weightResidence.inSitu ? ' (computed in situ)' : ''} when they fit.`);
  if (p.notes) lines.push('', printable(p.notes));
  lines.push('', 'Sources:', ...Object.entries(p.sources).map(([key, citation]) => `  [${printable(key)}] ${printable(citation)}`));
  lines.push('', '≈ marks approximate values (not verified from a primary source).');
  return `${lines.join('\n')}\n`;
}
