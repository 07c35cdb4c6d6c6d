import * as fs from 'node:fs';
import { ModelFormatError } from '../../../src/core/errors';
import { AnalysisInputError, type AnalyzeFileOptions } from '../../../src/core/pipeline/options';
import type { Analysis } from '../../../src/core/energy/analysis';
import { shippedProfiles } from '../../../src/core/energy/profileRegistry';
import type { CliIo } from '../../../src/cli/io';
import type { CliServices } from '../../../src/cli/services';
import { sampleAnalysis } from '../report/sampleAnalysis';

/** Services that return the synthetic analysis (1 mJ per inference on the default profile). */
export interface FakeServices extends CliServices {
  readonly calls: { path: string; options: AnalyzeFileOptions }[];
}

export function fakeServices(): FakeServices {
  const calls: { path: string; options: AnalyzeFileOptions }[] = [];
  return {
    version: '9.9.9',
    calls,
    analyze(path, options) {
      calls.push({ path, options });
      if (path.endsWith('corrupt.onnx')) throw new ModelFormatError(path, 12, 'a protobuf field tag', 'The file might be corrupted.');
      if (path.endsWith('missing.onnx')) fs.openSync(path, 'r');
      const id = options.profileId ?? 'laptop-x86';
      if (!shippedProfiles().some((p) => p.id === id)) throw new AnalysisInputError(`Unknown hardware profile "${id}".`);
      const base = sampleAnalysis();
      // On another profile everything costs half: enough to tell the sides of a comparison apart.
      const scale = id === 'laptop-x86' ? 1 : 0.5;
      const analysis: Analysis = {
        ...base,
        model: { ...base.model, path },
        profile: { id, name: `Profile ${id}` },
        totals: { ...base.totals, energy: { ...base.totals.energy, totalJ: base.totals.energy.totalJ * scale } },
      };
      return analysis;
    },
    profiles() {
      return { profiles: shippedProfiles(), errors: [] };
    },
    profile(options) {
      return shippedProfiles().find((p) => p.id === (options.profileId ?? 'laptop-x86'))!;
    },
    writeExamples(dir) {
      fs.mkdirSync(dir, { recursive: true });
      const file = `${dir}/cnn.onnx`;
      fs.writeFileSync(file, 'x');
      return [file];
    },
  };
}

/** An in-memory CliIo that records what was printed. */
export function captureIo(cwd: string): CliIo & { out: string; err: string } {
  const io = {
    cwd,
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}
