// Worker side of the editor's live analyses (Python model code, config.json): everything that reads
// a document's text or a profile file runs here, never on the extension host.
import { priceSource } from '../../core/pipeline/pythonSource';
import { ProfileCatalog } from '../../core/pipeline/profileCatalog';
import { resolveProfile, resolveSettings } from '../../core/pipeline/settings';
import { formatBandFactor, profileUncertainty } from '../../core/energy/uncertainty';
import { configJsonHints } from '../../core/formats/hfconfig/configHints';
import { transformerConfigFromHf } from '../../core/formats/hfconfig/hfConfig';
import { llmTokenEnergy } from '../../core/llm/tokenEnergy';
import { formatEnergy } from '../../core/report/units';
import { suggestFixes } from '../../core/pycode/fixes';
import { PythonSourceSession } from '../../core/pycode/incremental';
import type { SourceAnalysis } from '../../core/pycode/types';
import type { Handlers, TokenEnergyHint } from './protocol';

interface OpenDocument {
  readonly session: PythonSourceSession;
  last?: { readonly text: string; readonly source: SourceAnalysis };
}

/** The profiles folders this worker has read, kept until they change (a restarted worker reads afresh). */
export const profileCatalog = new ProfileCatalog();

/** Open Python documents by URI; a restarted worker starts with none (the next parse is full). */
const documents = new Map<string, OpenDocument>();

function analyzeText(document: string, text: string, inputShape?: readonly number[]): SourceAnalysis {
  let open = documents.get(document);
  if (!open) documents.set(document, (open = { session: new PythonSourceSession() }));
  const source = open.session.analyze(text, { inputShape: inputShape && inputShape.length > 0 ? inputShape : undefined });
  open.last = { text, source };
  return source;
}

export const editorHandlers: Omit<Handlers, 'analyzeFile' | 'recommendQuantizeMode' | 'refineProfile'> = {
  analyzePython: ({ document, text, path, options }) => {
    const source = analyzeText(document, text, options.inputShape);
    return source.layers.length > 0 ? priceSource(source, path, options, profileCatalog) : undefined;
  },
  pythonFixes: ({ document, text, layerIndex }) => {
    const last = documents.get(document)?.last;
    const source = last?.text === text ? last.source : analyzeText(document, text);
    return suggestFixes(source, text, { layerIndex });
  },
  userProfiles: ({ dir }) => {
    const { profiles, errors } = profileCatalog.folder(dir);
    return { profiles, skipped: errors.map((e) => `${e.file}: ${e.errors.join('; ')}`) };
  },
  resolveProfile: ({ profileId, userProfilesDir }) => resolveProfile({ profileId, userProfilesDir }, profileCatalog).profile,
  configJsonHints: ({ text, path, options }) => ({ hints: configJsonHints(text, path).hints, tokenEnergy: tokenEnergyHint(text, path, options) }),
};

/** The document was closed: its tree is dropped (the next parse of it is full). */
export function forgetDocument(document: string): void {
  documents.delete(document);
}

/** Decode and prefill energy per token of the config's model on the chosen profile; undefined when it is not a transformer config. */
function tokenEnergyHint(text: string, path: string, options: Parameters<typeof resolveSettings>[0]): TokenEnergyHint | undefined {
  try {
    const { config: transformer } = transformerConfigFromHf(JSON.parse(text) as unknown, path);
    const { profile, carbon } = resolveSettings(options, profileCatalog);
    const e = llmTokenEnergy(transformer, profile, { settings: carbon });
    const decode = e.decode[e.decode.length - 1] ?? e.decode[0];
    if (!decode) return undefined;
    const spread = profileUncertainty(profile);
    return {
      label: `decode ${formatEnergy(decode.energyPerTokenJ)}/token at context ${decode.tokens} (${decode.bound}-bound), prefill ${formatEnergy(e.prefill.energyPerTokenJ)}/token — estimated on ${profile.id}`,
      tooltip: `Per 1k decoded tokens: ${formatEnergy(decode.energyPer1kTokensJ)}, ${decode.tokensPerS.toFixed(1)} tokens/s. Uncertainty ${formatBandFactor(spread.logError)} (${spread.basis}). Joule's LLM cost model (docs/llm-cost-model.md).`,
    };
  } catch {
    return undefined;
  }
}
