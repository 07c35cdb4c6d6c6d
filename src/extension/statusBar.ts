import * as vscode from 'vscode';
import { formatEnergy } from '../core/report/units';
import { CommandIds } from './commandIds';

/**
 * Energy per inference of the model in front (report editor or Python model file) on the current
 * profile. Clicking it changes the profile.
 */
export class EnergyStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('joule.energy', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'Joule energy';
    this.item.command = CommandIds.selectProfile;
  }

  /** Shows `energyJ` for `label`, or hides the item when nothing is in front. */
  show(state: { label: string; energyJ: number; profileId: string; complete: boolean } | undefined): void {
    if (!state) {
      this.item.hide();
      return;
    }
    this.item.text = `$(zap) ${formatEnergy(state.energyJ)}/inf${state.complete ? '' : '+'}`;
    this.item.tooltip = `${state.label}: estimated energy per inference on ${state.profileId}${state.complete ? '' : ' (some layers lack an input shape: a lower bound)'}. Click to change the hardware profile.`;
    this.item.show();
  }

  /** What the item says now (for the host tests). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
