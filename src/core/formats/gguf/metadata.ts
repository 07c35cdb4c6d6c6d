/** GGUF metadata values: the 13 value types, arrays possibly nested. */

export const GGUF_VALUE_TYPE = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9,
  UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;

export type GgufScalarTypeName = Exclude<keyof typeof GGUF_VALUE_TYPE, 'ARRAY'>;

/** Fixed byte size of scalar types (strings: variable, so undefined). */
export const SCALAR_SIZE: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

export type GgufValue =
  | { readonly kind: 'number'; readonly type: number; readonly value: number }
  /** 64-bit integers beyond 2^53 keep their exact value. */
  | { readonly kind: 'bigint'; readonly type: number; readonly value: bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string; readonly truncated?: boolean }
  | {
    readonly kind: 'array';
    readonly elementType: number;
    readonly length: number;
    /** The first elements (all of them for short arrays); long arrays such as vocabularies are skipped. */
    readonly values: readonly GgufValue[];
  };

export function valueAsNumber(v: GgufValue | undefined): number | undefined {
  if (!v) return undefined;
  if (v.kind === 'number') return v.value;
  if (v.kind === 'bigint') return Number(v.value);
  return undefined;
}

export function valueAsString(v: GgufValue | undefined): string | undefined {
  return v?.kind === 'string' ? v.value : undefined;
}

/** A short human-readable rendering for metadata maps. */
export function renderValue(v: GgufValue): string {
  switch (v.kind) {
    case 'number': return String(v.value);
    case 'bigint': return v.value.toString();
    case 'bool': return String(v.value);
    case 'string': return v.truncated ? `${v.value}…` : v.value;
    case 'array': {
      const shown = v.values.slice(0, 8).map(renderValue).join(', ');
      return `[${shown}${v.length > 8 ? `, … (${v.length} items)` : ''}]`;
    }
  }
}
