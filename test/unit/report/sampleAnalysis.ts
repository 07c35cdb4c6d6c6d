import type { Analysis, LayerAnalysis } from '../../../src/core/energy/analysis';

/**
 * A synthetic Analysis for renderer tests, built by hand so the expected strings are known without
 * the estimator: three layers (one hostile name), one unknown op, one warning.
 */
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

function layer(partial: Partial<LayerAnalysis> & Pick<LayerAnalysis, 'name' | 'opType'>): LayerAnalysis {
  const energy = partial.energy ?? { computeJ: 0, onChipJ: 0, offChipJ: 0, staticJ: 0, totalJ: 0 };
  return {
    domain: '',
    macs: 0,
    flops: 0,
    params: 0,
    precision: 'fp32',
    outputShapes: [[1, 8]],
    bytes: { weights: 0, inputs: 0, outputs: 0, byLevel: {}, offChipFloor: 0 },
    latencyS: 0,
    bound: 'memory',
    intensity: 0,
    energyShare: 0,
    confidence: 'exact',
    ...partial,
    energy,
  };
}

export function sampleAnalysis(): Analysis {
  const layers: LayerAnalysis[] = [
    layer({
      name: 'conv1',
      opType: 'Conv',
      macs: 118_013_952,
      flops: 236_027_904,
      params: 9408,
      outputShapes: [[1, 64, 112, 112]],
      bytes: { weights: 37_632, inputs: 602_112, outputs: 3_211_264, byLevel: { sram: 3_850_000, dram: 640_000 }, offChipFloor: 500_000 },
      energy: { computeJ: 0.54e-3, onChipJ: 0.2e-3, offChipJ: 0.05e-3, staticJ: 0.01e-3, totalJ: 0.8e-3 },
      latencyS: 2.5e-4,
      bound: 'compute',
      intensity: 368.8,
      energyShare: 0.8,
    }),
    layer({
      name: HOSTILE_NAME,
      opType: 'Relu',
      flops: 802_816,
      outputShapes: [[1, 64, 112, 112]],
      bytes: { weights: 0, inputs: 3_211_264, outputs: 3_211_264, byLevel: { sram: 6_422_528 }, offChipFloor: 0 },
      energy: { computeJ: 1e-6, onChipJ: 149e-6, offChipJ: 0, staticJ: 0, totalJ: 150e-6 },
      latencyS: 3e-6,
      bound: 'memory',
      intensity: 0,
      energyShare: 0.15,
    }),
    layer({
      name: 'fc, "final"\nlayer',
      opType: 'Gemm',
      macs: 512_000,
      flops: 1_024_000,
      params: 513_000,
      outputShapes: [['batch', 1000]],
      bytes: { weights: 2_052_000, inputs: 2048, outputs: 4000, byLevel: { sram: 10_000, dram: 2_058_048 }, offChipFloor: 2_058_048 },
      energy: { computeJ: 2.4e-6, onChipJ: 0.6e-6, offChipJ: 46e-6, staticJ: 1e-6, totalJ: 50e-6 },
      latencyS: 1e-5,
      bound: 'memory',
      intensity: 0.5,
      energyShare: 0.05,
      confidence: 'partial',
      note: 'bias shape unknown',
    }),
  ];
  return {
    kind: 'estimate',
    model: { path: 'models/tiny.onnx', format: 'onnx', opset: 17, producer: 'joule-builder', params: 522_408, weightBytes: 2_089_632 },
    profile: { id: 'laptop-x86', name: 'Laptop x86' },
    settings: { batch: 1, dims: { batch: 1 }, gridRegion: 'World', gridIntensityGPerKWh: 436, pue: 1 },
    totals: {
      macs: 118_525_952,
      flops: 237_854_720,
      latencyS: 2.63e-4,
      energy: { computeJ: 0.5434e-3, onChipJ: 0.3496e-3, offChipJ: 0.096e-3, staticJ: 0.011e-3, totalJ: 1e-3 },
      co2eGrams: 1.2111e-4,
      per1k: { energyJ: 1, co2eGrams: 0.12111 },
      per1M: { energyJ: 1000, co2eGrams: 121.11 },
    },
    layers,
    unknownOps: [{ opType: 'MyCustomOp', domain: 'com.example', count: 4, nodes: ['custom_0', 'custom_1', 'custom_2'] }],
    warnings: ['Dimension "seq" was not given; used 128.'],
  };
}
