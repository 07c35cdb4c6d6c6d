import * as vscode from 'vscode';
import { analysisOptions, readConfig } from './config';
import type { Logger } from './log';
import type { WorkerMethods } from './worker/protocol';
import type { AnalysisClient } from './analysisClient';

export const CONFIG_JSON_SELECTOR: vscode.DocumentSelector = [{ language: 'json', pattern: '**/config.json' }, { language: 'jsonc', pattern: '**/config.json' }];

/**
 * Inlay hints in a Hugging Face config.json: what the sizing fields cost (parameters, KV cache, bytes
 * per decoded token), and on the first line the energy per token on the current profile. The text
 * and the profile files are read in the editor's worker, never on the extension host.
 */
export class ConfigJsonHints implements vscode.InlayHintsProvider {
  constructor(
    private readonly channel: AnalysisClient,
    private readonly log: Logger,
  ) {}

  async provideInlayHints(document: vscode.TextDocument): Promise<vscode.InlayHint[]> {
    const config = readConfig(document.uri);
    if (!config.hintsEnabled) return [];
    let answer: WorkerMethods['configJsonHints']['result'];
    try {
      answer = await this.channel.call('configJsonHints', { text: document.getText(), path: document.uri.fsPath, options: analysisOptions(config, document.uri) });
    } catch (e) {
      this.log.warn(`config.json hints for ${document.uri.fsPath} failed: ${(e as Error).message}`);
      return [];
    }
    if (answer.hints.length === 0) return [];
    const result = answer.hints.map((h) => {
      const hint = new vscode.InlayHint(new vscode.Position(h.line, h.character), ` ⚡ ${h.label}`, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = h.tooltip;
      return hint;
    });
    if (answer.tokenEnergy && document.lineCount > 0) {
      const hint = new vscode.InlayHint(document.lineAt(0).range.end, ` ⚡ ${answer.tokenEnergy.label}`, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = answer.tokenEnergy.tooltip;
      result.unshift(hint);
    }
    return result;
  }
}
