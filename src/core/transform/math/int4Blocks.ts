/**
 * 4-bit block quantization in the layout of onnxruntime's com.microsoft MatMulNBits:
 * Y = A · dequant(B)ᵀ where B is the MatMul weight transposed to [N][K], cut along K into blocks of
 * `blockSize`, each block with its own scale (and zero point when asymmetric).
 *   B:           uint8 [N][nBlocks][blockSize / 2], two codes per byte, low nibble first along K
 *   scales:      float [N * nBlocks]
 *   zero_points: uint8 [N * ceil(nBlocks / 2)], two per byte low nibble first; absent means 8
 * The last block of a K that is not a multiple of blockSize is padded with the zero point.
 */
import { intRange, quantParamsFromRange, quantizeValue } from './quantParams';

export interface MatMulNBitsWeights {
  readonly k: number;
  readonly n: number;
  readonly blockSize: number;
  readonly nBlocks: number;
  readonly packed: Uint8Array;
  readonly scales: Float32Array;
  /** Present only for asymmetric quantization. */
  readonly zeroPoints?: Uint8Array;
}

/**
 * Quantizes a MatMul weight stored row-major as [K][N] (the ONNX MatMul B operand).
 * Symmetric uses codes 1..15 around 8 (the kernel's default zero point), asymmetric 0..15.
 */
export function quantizeMatMulNBits(
  weight: Float32Array,
  k: number,
  n: number,
  blockSize: number,
  symmetric: boolean,
): MatMulNBitsWeights {
  if (weight.length !== k * n) throw new Error(`weight has ${weight.length} values, expected ${k}×${n}`);
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) throw new Error(`block size must be a power of two ≥ 16, got ${blockSize}`);
  const nBlocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const packed = new Uint8Array(n * nBlocks * blob);
  const scales = new Float32Array(n * nBlocks);
  const zpBytesPerRow = Math.ceil(nBlocks / 2);
  const zeroPoints = symmetric ? undefined : new Uint8Array(n * zpBytesPerRow);
  const range = intRange('uint4');
  const block = new Float32Array(blockSize);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < nBlocks; b++) {
      const start = b * blockSize;
      const len = Math.min(blockSize, k - start);
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < len; i++) {
        const v = weight[(start + i) * n + col]!;
        block[i] = v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      let scale: number;
      let zp: number;
      if (symmetric) {
        // Codes 8 ± 7: the kernel assumes zero point 8 when none is given.
        const absMax = Math.max(Math.abs(min), Math.abs(max));
        scale = absMax === 0 ? 1 : absMax / 7;
        zp = 8;
      } else {
        const p = quantParamsFromRange(min, max, range, false);
        scale = p.scale;
        zp = p.zeroPoint;
      }
      scales[col * nBlocks + b] = scale;
      if (zeroPoints) zeroPoints[col * zpBytesPerRow + (b >> 1)]! |= zp << ((b & 1) * 4);
      const base = (col * nBlocks + b) * blob;
      for (let i = 0; i < blockSize; i++) {
        const code = i < len ? quantizeValue(block[i]!, { scale, zeroPoint: zp }, range) : zp;
        packed[base + (i >> 1)]! |= code << ((i & 1) * 4);
      }
    }
  }
  return { k, n, blockSize, nBlocks, packed, scales, ...(zeroPoints ? { zeroPoints } : {}) };
}

/** Float [K][N] weight the packed form stands for (what the kernel computes with). */
export function dequantizeMatMulNBits(w: MatMulNBitsWeights): Float32Array {
  const out = new Float32Array(w.k * w.n);
  const blob = w.blockSize / 2;
  const zpBytesPerRow = Math.ceil(w.nBlocks / 2);
  for (let col = 0; col < w.n; col++) {
    for (let b = 0; b < w.nBlocks; b++) {
      const scale = w.scales[col * w.nBlocks + b]!;
      const zp = w.zeroPoints ? (w.zeroPoints[col * zpBytesPerRow + (b >> 1)]! >> ((b & 1) * 4)) & 0xf : 8;
      const base = (col * w.nBlocks + b) * blob;
      for (let i = 0; i < w.blockSize && b * w.blockSize + i < w.k; i++) {
        const code = (w.packed[base + (i >> 1)]! >> ((i & 1) * 4)) & 0xf;
        out[(b * w.blockSize + i) * w.n + col] = (code - zp) * scale;
      }
    }
  }
  return out;
}
