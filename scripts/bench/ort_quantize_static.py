"""onnxruntime's quantize_static on the same calibration .npy files Joule uses, for
scripts/bench/transformVsOrt.ts. Benchmark only: needs `pip install onnxruntime onnx numpy`,
never a runtime dependency of Joule.

usage: ort_quantize_static.py MODEL OUT CALIB_DIR INPUT_NAME [--per-tensor]
prints one JSON line: {"seconds": quantization wall time, "version": onnxruntime version}
"""
import json
import os
import sys
import time

import numpy as np
import onnxruntime
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static


class NpyReader(CalibrationDataReader):
    def __init__(self, folder, input_name):
        files = sorted(f for f in os.listdir(folder) if f.endswith('.npy'))
        self.samples = iter([{input_name: np.load(os.path.join(folder, f))} for f in files])

    def get_next(self):
        return next(self.samples, None)


def main():
    model, out, calib, input_name = sys.argv[1:5]
    per_channel = '--per-tensor' not in sys.argv
    started = time.perf_counter()
    quantize_static(model, out, NpyReader(calib, input_name), quant_format=QuantFormat.QDQ,
                    per_channel=per_channel, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)
    print(json.dumps({'seconds': time.perf_counter() - started, 'version': onnxruntime.__version__}))


if __name__ == '__main__':
    main()
