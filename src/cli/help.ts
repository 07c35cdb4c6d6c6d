import type { OptionSpec } from './args';
import type { CommandDefinition } from './commands';

/** Help text generated from the command registry, so a new command documents itself. */

function optionLines(options: readonly OptionSpec[]): string[] {
  const heads = options.map((o) => `  ${o.short ? `-${o.short}, ` : ''}--${o.name}${o.kind === 'flag' ? '' : ` ${o.valueName ?? 'VALUE'}`}`);
  const width = Math.max(...heads.map((h) => h.length));
  return options.map((o, i) => `${heads[i]!.padEnd(width)}  ${o.description}`);
}

export function generalHelp(commands: readonly CommandDefinition[], version: string): string {
  const visible = commands.filter((c) => !c.hidden);
  const width = Math.max(...visible.map((c) => c.name.length));
  return [
    `joule ${version}: energy of neural networks, layer by layer (estimates on a hardware profile)`,
    '',
    'Usage: joule COMMAND [options]',
    '',
    'Commands:',
    ...visible.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `joule COMMAND --help` for its options. Global: --help, --version.',
    'Exit codes: 0 success, 1 energy budget exceeded (--budget-mj), 2 bad arguments or unreadable input, 3 internal error.',
    '',
  ].join('\n');
}

export function commandHelp(command: CommandDefinition): string {
  return [
    `Usage: joule ${command.usage}`,
    '',
    command.details ?? command.summary,
    '',
    'Options:',
    ...optionLines([...command.options, { name: 'help', kind: 'flag', description: 'show this help', short: 'h' }]),
    '',
  ].join('\n');
}
