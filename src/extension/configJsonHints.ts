import * as vscode from 'vscode';
import { resolveProfile } from '../core/analyzeFile';
import { configJsonHints } from '../core/formats/hfconfig/configHints';
import { transformerConfigFromHf } from '../core/formats/hfconfig/hfConfig';
import { llmTokenEnergy } from '../core/llm/tokenEnergy';
import { formatEnergy } from '../core/report/units';
import { formatBandFactor, profileUncertainty } from '../core/energy/uncertainty';
import { readConfig, userProfilesDir } from './config';

export const CONFIG_JSON_SELECTOR: vscode.DocumentSelector = [{ language: 'json', pattern: '**/config.json' }, { language: 'jsonc', pattern: '**/config.json' }];

/**
 * Inlay hints in a Hugging Face config.json: what the sizing fields cost (parameters, KV cache, bytes
 * per decoded token), and on the first line the energy per token on the current profile.
 */
export class ConfigJsonHints implements vscode.InlayHintsProvider {
  provideInlayHints(document: vscode.TextDocument): vscode.InlayHint[] {
    const config = readConfig(document.uri);
    if (!config.hintsEnabled) return [];
    const text = document.getText();
    const { hints } = configJsonHints(text);
    if (hints.length === 0) return [];
    const result = hints.map((h) => {
      const hint = new vscode.InlayHint(new vscode.Position(h.line, h.character), ` ⚡ ${h.label}`, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = h.tooltip;
      return hint;
    });
    const energy = this.energyHint(text, document, config);
    if (energy) result.unshift(energy);
    return result;
  }

  private energyHint(text: string, document: vscode.TextDocument, config: ReturnType<typeof readConfig>): vscode.InlayHint | undefined {
    try {
      const { config: transformer } = transformerConfigFromHf(JSON.parse(text) as unknown, document.uri.fsPath);
      const { profile } = resolveProfile({ profileId: config.hardwareProfile, userProfilesDir: userProfilesDir(config, document.uri) });
      const e = llmTokenEnergy(transformer, profile, { settings: { gridRegion: config.gridRegion, gridIntensityGPerKWh: config.gridIntensity ?? undefined, pue: config.pue } });
      const decode = e.decode[e.decode.length - 1] ?? e.decode[0];
      if (!decode) return undefined;
      const line = document.lineAt(0);
      const hint = new vscode.InlayHint(line.range.end, ` ⚡ decode ${formatEnergy(decode.energyPerTokenJ)}/token at context ${decode.tokens} (${decode.bound}-bound), prefill ${formatEnergy(e.prefill.energyPerTokenJ)}/token — estimated on ${profile.id}`, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      const spread = profileUncertainty(profile);
      hint.tooltip = `Per 1k decoded tokens: ${formatEnergy(decode.energyPer1kTokensJ)}, ${decode.tokensPerS.toFixed(1)} tokens/s. Uncertainty ${formatBandFactor(spread.logError)} (${spread.basis}). Joule's LLM cost model (docs/llm-cost-model.md).`;
      return hint;
    } catch {
      return undefined;
    }
  }
}
