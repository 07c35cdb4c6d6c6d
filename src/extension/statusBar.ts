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
  show(state: { label: string; energyJ: number; profileId: string; complete: boolean; assumed?: string } | undefined): void {
    if (!state) {
      this.item.hide();
      return;
    }
    this.item.text = `$(zap) ${formatEnergy(state.energyJ)}/inf${state.complete ? '' : '+'}`;
    const assumed = state.assumed ? ` Input ${state.assumed}.` : '';
    this.item.tooltip = `${state.label}: estimated energy per inference on ${state.profileId}${state.complete ? '' : ' (some layers lack an input shape: a lower bound)'}.${assumed} Click to change the hardware profile.`;
    if (state.assumed) this.item.text += ' (assumed dims)';
    this.item.show();
  }

  /** What the item says now (for the host tests). */
  get text(): string {
    return this.item.text;
  }

  /** Its tooltip (for the host tests). */
  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }

  dispose(): void {
    this.item.dispose();
  }
}
