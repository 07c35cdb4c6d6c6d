/**
 * Text hygiene for strings that come from model files (layer names, op types, producers): they are
 * untrusted, so terminal output must not carry escape sequences and aligned columns need a bound.
 */

/** Turns line breaks and tabs into spaces and other control characters (ANSI escapes, bidi overrides) into `?`. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/**
 * Like printable() but keeps line breaks: for whole messages (errors, warnings, summaries) that
 * quote names from files on their way to a terminal or a log.
 */
export function printableLines(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** Shortens `text` to `max` characters by cutting the middle: layer paths differ at both ends. */
export function truncateMiddle(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, max).join('');
  const keepEnd = Math.floor((max - 1) / 2);
  const keepStart = max - 1 - keepEnd;
  return `${chars.slice(0, keepStart).join('')}…${chars.slice(chars.length - keepEnd).join('')}`;
}

/** Visible width in a monospace terminal, counting code points (enough for the text we print). */
export function displayWidth(text: string): number {
  // Most cells have no surrogate pair, and then UTF-16 units are code points: no array per cell.
  return SURROGATE.test(text) ? Array.from(text).length : text.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  readonly align: Align;
}

/** Lays out rows as aligned columns separated by two spaces; trailing spaces trimmed. */
export function alignColumns(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  // A loop, not Math.max(...rows): spreading 150k rows overflows the call stack.
  const widths = columns.map((column) => displayWidth(column.header));
  const cellWidths = rows.map((row) => columns.map((_, i) => {
    const width = displayWidth(row[i] ?? '');
    if (width > widths[i]!) widths[i] = width;
    return width;
  }));
  const line = (cells: readonly string[], cellWidth: (i: number) => number): string => cells.map((cell, i) => {
    const fill = ' '.repeat(widths[i]! - cellWidth(i));
    return columns[i]!.align === 'right' ? fill + cell : cell + fill;
  }).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ').trimEnd();
  const headers = columns.map((c) => c.header);
  return [line(headers, (i) => displayWidth(headers[i]!)), rule, ...rows.map((row, r) => line(row, (i) => cellWidths[r]![i]!))];
}
