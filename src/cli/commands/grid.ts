import { currentGridIntensity, greenestWindow, recommendCap } from '../../core/bench/carbon/carbonAware';
import { fetchIntensityForecast, type LiveIntensityConfig, type LiveSourceKind } from '../../core/bench/carbon/liveIntensity';
import { powerCapSweep } from '../../core/energy/powerCap';
import { formatEnergy, formatSeconds } from '../../core/report/units';
import { UsageError, type Options } from '../args';
import { ANALYSIS_OPTIONS, analyzeOptionsFrom } from './analysisOptions';
import type { CommandDefinition } from './types';

const SOURCES: readonly LiveSourceKind[] = ['uk-carbon-intensity', 'electricity-maps'];

/** The live source the options configure; the network stays off unless --allow-network is given. */
function liveConfig(options: Options): LiveIntensityConfig | undefined {
  const source = options.string('live');
  if (source === undefined) {
    if (options.flag('allow-network')) throw new UsageError('--allow-network goes with --live SOURCE.');
    return undefined;
  }
  if (!SOURCES.includes(source as LiveSourceKind)) throw new UsageError(`--live must be one of ${SOURCES.join(', ')}, got "${source}".`);
  return {
    source: source as LiveSourceKind,
    networkEnabled: options.flag('allow-network'),
    baseUrl: options.string('base-url'),
    zone: options.string('zone'),
    // A token on the command line would end up in shell history: read it from the environment.
    token: process.env.JOULE_ELECTRICITY_MAPS_TOKEN,
  };
}

export const gridCommand: CommandDefinition = {
  name: 'grid',
  summary: 'grid carbon intensity now, the greenest time window, and a carbon-aware power cap',
  usage: 'grid [MODEL] [options]',
  details:
    'Prints the grid carbon intensity from the shipped table (Ember via Our World in Data) or, with --live and --allow-network, from a live source: the UK Carbon Intensity API (no key) or Electricity Maps (zone with --zone, token in JOULE_ELECTRICITY_MAPS_TOKEN). The network is never used without --allow-network. With --window MINUTES and a live source, finds the greenest window in the next 24 hours. With a MODEL, recommends a power cap from the energy model: the cleaner the grid, the more speed weighs; the dirtier, the more energy.',
  options: [
    ...ANALYSIS_OPTIONS,
    { name: 'live', kind: 'string', valueName: SOURCES.join('|'), description: 'live intensity source (off by default)' },
    { name: 'allow-network', kind: 'flag', description: 'allow the request to the live source' },
    { name: 'zone', kind: 'string', valueName: 'ZONE', description: 'Electricity Maps zone, e.g. DE, FR, US-CAL-CISO' },
    { name: 'base-url', kind: 'string', valueName: 'URL', description: 'the live source at another address (a mirror or a test server)' },
    { name: 'window', kind: 'number', valueName: 'MINUTES', description: 'find the greenest window of this length in the forecast' },
    { name: 'format', kind: 'string', valueName: 'table|json', description: 'output format (default table)' },
  ],
  positionals: [0, 1],
  async run({ options, io, services }) {
    const format = options.string('format') ?? 'table';
    if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got "${format}".`);
    const live = liveConfig(options);
    const intensity = await currentGridIntensity({ live, region: options.string('grid') });
    const result: Record<string, unknown> = { intensity };
    const lines = [
      `Grid carbon intensity: ${Math.round(intensity.gPerKWh)} g CO2e/kWh (${intensity.source === 'live' ? 'live' : 'table'}; ${intensity.attribution})`,
      ...(intensity.note ? [intensity.note] : []),
    ];
    const minutes = options.number('window');
    if (minutes !== undefined) {
      if (!(minutes > 0)) throw new UsageError(`--window must be more than 0 minutes, got ${minutes}.`);
      if (!live?.networkEnabled) {
        lines.push('Greenest window: needs a forecast, from --live SOURCE --allow-network.');
      } else {
        const window = greenestWindow(await fetchIntensityForecast(live), minutes);
        result.window = window;
        lines.push(window
          ? `Greenest ${minutes}-minute window: ${window.from} to ${window.to}, ${Math.round(window.meanGPerKWh)} g/kWh on average (${Math.round(window.savingVsNow * 100)}% below starting now).`
          : `Greenest window: the forecast does not cover ${minutes} minutes.`);
      }
    }
    const model = options.positionals[0];
    if (model !== undefined) {
      const analyzeOptions = analyzeOptionsFrom(options, io);
      const analysis = services.analyze(model, { ...analyzeOptions, gridIntensityGPerKWh: intensity.gPerKWh });
      const profile = services.profile(analyzeOptions);
      const candidates = powerCapSweep(analysis, profile, { steps: 8 }).map((p) => ({ label: `${p.capW.toFixed(0)} W cap`, latencyMs: p.latencyS * 1000, joulesPerInference: p.energyJ, capW: p.capW }));
      const recommendation = recommendCap(candidates, intensity.gPerKWh, { maxSlowdown: 1.5 });
      result.capRecommendation = { ...recommendation, profile: profile.id, kind: 'estimate' };
      lines.push(
        `Recommended cap for ${model} on ${profile.name} (estimated from the energy model): ${recommendation.chosen.label}, ${formatSeconds(recommendation.chosen.latencyMs / 1000)} and ${formatEnergy(recommendation.chosen.joulesPerInference)} per inference.`,
        recommendation.reason,
      );
    }
    io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${lines.join('\n')}\n`);
    return 0;
  },
};
