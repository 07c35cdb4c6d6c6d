/**
 * The registry of subcommands, in help order. Adding a command (bench, quantize, prune) is one file
 * in this folder exporting a CommandDefinition plus one line here.
 */
import { analyzeCommand } from './analyze';
import { benchCommand } from './bench';
import { calibrateCommand } from './calibrate';
import { compareCommand } from './compare';
import { examplesCommand } from './examples';
import { gridCommand } from './grid';
import { profilesCommand } from './profiles';
import { pruneCommand } from './prune';
import { quantizeCommand } from './quantize';
import { reportCommand } from './report';
import type { CommandDefinition } from './types';

export const COMMANDS: readonly CommandDefinition[] = [
  analyzeCommand,
  reportCommand,
  compareCommand,
  benchCommand,
  calibrateCommand,
  quantizeCommand,
  pruneCommand,
  profilesCommand,
  gridCommand,
  examplesCommand,
];

export function findCommand(name: string): CommandDefinition | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export type { CommandDefinition, CommandContext } from './types';
