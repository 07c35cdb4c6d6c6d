import * as path from 'node:path';
import { renderProfileDetails, renderProfileList } from '../../core/report/profiles';
import { UsageError } from '../args';
import { FORCE_OPTION, OUT_OPTION, PROFILE_OPTION, emit } from './analysisOptions';
import type { CommandDefinition } from './types';

export const profilesCommand: CommandDefinition = {
  name: 'profiles',
  summary: 'list hardware profiles, or show one with its sources',
  usage: 'profiles [--profile ID] [--format table|json]',
  details: 'Lists the shipped profiles and your own from .joule/profiles/*.json (or --profiles-dir). Invalid profile files are reported on stderr.',
  options: [
    { ...PROFILE_OPTION, description: 'show this profile in full, every value with its source' },
    { name: 'profiles-dir', kind: 'string', valueName: 'DIR', description: 'folder of your own profiles (default .joule/profiles)' },
    { name: 'format', kind: 'string', valueName: 'table|json', description: 'output format (default table)' },
    OUT_OPTION,
    FORCE_OPTION,
  ],
  positionals: [0, 0],
  run({ options, io, services }) {
    const format = options.string('format') ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`profiles --format must be table or json, got "${format}".`);
    const dir = path.resolve(io.cwd, options.string('profiles-dir') ?? path.join('.joule', 'profiles'));
    const { profiles, errors } = services.profiles(dir);
    for (const error of errors) io.stderr(`Skipped profile ${error.file}:\n${error.errors.map((e) => `  ${e}`).join('\n')}\n`);
    const id = options.string('profile');
    if (id === undefined) {
      emit(io, renderProfileList(profiles, format), options, []);
      return 0;
    }
    const profile = profiles.find((p) => p.id === id);
    if (!profile) throw new UsageError(`Unknown profile "${id}". Known: ${profiles.map((p) => p.id).join(', ')}.`);
    emit(io, renderProfileDetails(profile, format), options, []);
    return 0;
  },
};
