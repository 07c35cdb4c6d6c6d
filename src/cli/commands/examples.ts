import { UsageError } from '../args';
import type { CommandDefinition } from './types';
import * as path from 'node:path';

/** Hidden helper for `npm run demo`: writes the project's example models (a CNN, a transformer). */
export const examplesCommand: CommandDefinition = {
  name: 'examples',
  summary: 'write the example models (cnn.onnx, transformer.onnx) into a folder',
  usage: 'examples --out DIR',
  options: [
    { name: 'out', kind: 'string', valueName: 'DIR', description: 'folder to write the models into' },
    { name: 'force', kind: 'flag', description: 'replace models already in the folder' },
  ],
  positionals: [0, 0],
  hidden: true,
  run({ options, io, services }) {
    const out = options.string('out');
    if (out === undefined) throw new UsageError('examples needs --out DIR.');
    for (const file of services.writeExamples(path.resolve(io.cwd, out), options.flag('force'))) io.stdout(`${file}\n`);
    return 0;
  },
};
