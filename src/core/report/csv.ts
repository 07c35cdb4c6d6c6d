import type { Analysis } from '../energy/analysis';
import { hotspotIndices } from './hotspots';
import { memoryLevels } from './summary';
import { formatShapes } from './units';

/**
 * One row per layer, raw numbers in SI base units (J, s, bytes) so spreadsheets can sum them.
 * Quoting follows RFC 4180. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab,
 * CR at the start) get a leading apostrophe, as OWASP advises for CSV files built from untrusted data:
 * layer names come from model files.
 */

export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const defused = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) || defused !== defused.trim() ? `"${defused.replace(/"/g, '""')}"` : defused;
}

export function csvLine(cells: readonly (string | number | boolean | undefined)[]): string {
  return cells.map(csvCell).join(',');
}

export function renderCsv(analysis: Analysis): string {
  const levels = memoryLevels(analysis);
  const hot = new Set(hotspotIndices(analysis));
  const header = [
    'index', 'name', 'opType', 'domain', 'outputShapes', 'precision', 'macs', 'flops', 'params',
    'weightBytes', 'inputBytes', 'outputBytes', ...levels.map((level) => `bytes_${level}`), 'offChipFloorBytes',
    'computeJ', 'onChipJ', 'offChipJ', 'staticJ', 'totalJ', 'latencyS', 'bound', 'intensityFlopsPerByte',
    'energyShare', 'hotspot', 'confidence', 'note',
  ];
  const rows = analysis.layers.map((layer, i) => [
    i + 1,
    layer.name,
    layer.opType,
    layer.domain,
    formatShapes(layer.outputShapes),
    layer.precision,
    layer.macs,
    layer.flops,
    layer.params,
    layer.bytes.weights,
    layer.bytes.inputs,
    layer.bytes.outputs,
    ...levels.map((level) => layer.bytes.byLevel[level] ?? 0),
    layer.bytes.offChipFloor,
    layer.energy.computeJ,
    layer.energy.onChipJ,
    layer.energy.offChipJ,
    layer.energy.staticJ,
    layer.energy.totalJ,
    layer.latencyS,
    layer.bound,
    layer.intensity,
    layer.energyShare,
    hot.has(i),
    layer.confidence,
    layer.note,
  ]);
  // CRLF line ends, as RFC 4180 specifies and spreadsheet importers expect.
  return [header, ...rows].map(csvLine).join('\r\n') + '\r\n';
}
