/** Decoders of the 8-bit and 4-bit float formats of ONNX (float8 e4m3/e5m2 variants, e8m0, float4 e2m1). */
import type { DataType } from '../graph/ir';

interface Format {
  readonly exponentBits: number;
  readonly mantissaBits: number;
  readonly bias: number;
  /** 'ieee': all-ones exponent is inf/NaN; 'fn': only all-ones is NaN; 'fnuz': 0x80 is NaN, no -0; 'none': no specials. */
  readonly specials: 'ieee' | 'fn' | 'fnuz' | 'none';
}

const FORMATS: Partial<Record<DataType, Format>> = {
  float8e4m3fn: { exponentBits: 4, mantissaBits: 3, bias: 7, specials: 'fn' },
  float8e4m3fnuz: { exponentBits: 4, mantissaBits: 3, bias: 8, specials: 'fnuz' },
  float8e5m2: { exponentBits: 5, mantissaBits: 2, bias: 15, specials: 'ieee' },
  float8e5m2fnuz: { exponentBits: 5, mantissaBits: 2, bias: 16, specials: 'fnuz' },
  float4e2m1: { exponentBits: 2, mantissaBits: 1, bias: 1, specials: 'none' },
};

export function isMinifloat(type: DataType): boolean {
  return type in FORMATS || type === 'float8e8m0';
}

/** Value of one stored code (a byte, or a nibble for float4). */
export function decodeMinifloat(type: DataType, code: number): number {
  if (type === 'float8e8m0') return code === 0xff ? NaN : 2 ** (code - 127);
  const f = FORMATS[type];
  if (!f) throw new Error(`${type} is not a small float format`);
  const totalBits = 1 + f.exponentBits + f.mantissaBits;
  const signBit = 1 << (totalBits - 1);
  if (f.specials === 'fnuz' && code === signBit) return NaN;
  const sign = code & signBit ? -1 : 1;
  const expMask = (1 << f.exponentBits) - 1;
  const mantMask = (1 << f.mantissaBits) - 1;
  const exp = (code >> f.mantissaBits) & expMask;
  const mant = code & mantMask;
  if (f.specials === 'ieee' && exp === expMask) return mant ? NaN : sign * Infinity;
  if (f.specials === 'fn' && exp === expMask && mant === mantMask) return NaN;
  const scale = 2 ** f.mantissaBits;
  if (exp === 0) return sign * (mant / scale) * 2 ** (1 - f.bias);
  return sign * (1 + mant / scale) * 2 ** (exp - f.bias);
}
