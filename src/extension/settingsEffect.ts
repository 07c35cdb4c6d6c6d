import type * as vscode from 'vscode';

/**
 * What a change of `joule.*` settings asks of the views. Re-pricing drops every cached analysis, so
 * only settings that change a number do it; hint and hotspot settings only re-render from the cache;
 * benchmark and transform settings are read when those commands run.
 */
export interface SettingsEffect {
  /** The global profile changed: reports drop their own picker choice and follow it. */
  readonly profile: boolean;
  /** A setting every estimate depends on changed: analyses are dropped and redone. */
  readonly reprice: boolean;
  /** Only what is shown changed (hints, hotspot threshold): views re-render from cached analyses. */
  readonly render: boolean;
}

const REPRICE = ['joule.hardwareProfile', 'joule.profilesFolder', 'joule.batch', 'joule.dimensions', 'joule.grid', 'joule.pue', 'joule.python.inputShape', 'joule.maxGraphNodes'];
const RENDER = ['joule.hints', 'joule.hotspotThreshold'];

export function settingsEffect(e: Pick<vscode.ConfigurationChangeEvent, 'affectsConfiguration'>): SettingsEffect {
  const any = (keys: readonly string[]): boolean => keys.some((k) => e.affectsConfiguration(k));
  const reprice = any(REPRICE);
  return { profile: e.affectsConfiguration('joule.hardwareProfile'), reprice, render: reprice || any(RENDER) };
}
