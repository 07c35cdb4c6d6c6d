import * as vscode from 'vscode';
import { CALIBRATED_PROFILE_ID } from '../../core/calibrate/calibratedProfile';
import { CommandIds } from '../commandIds';
import { GRID_INTENSITY_ATTRIBUTION, GRID_REGIONS } from '../../core/energy/gridIntensity';
import { CONFIG_SECTION, readConfig } from '../config';
import type { WorkspaceProfiles } from '../workspaceProfiles';

/** Settings go to the workspace when one is open, else to the user settings. */
function target(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/**
 * Joule: Select Hardware Profile — a quick pick of shipped and workspace profiles. `shown` is the
 * profile of the report in front when its own picker chose another: "current" is what the user sees.
 */
export async function selectProfile(workspaceProfiles: WorkspaceProfiles, shown?: string): Promise<void> {
  const global = readConfig().hardwareProfile;
  const current = shown ?? global;
  const profiles = await workspaceProfiles.choices(vscode.workspace.workspaceFolders?.[0]?.uri);
  const mark = (id: string): string => (id === current ? ' (current)' : '') + (id === global && id !== current ? ' (setting)' : '');
  const items = profiles.map((p) => ({
    label: p.name,
    description: `${p.id}${mark(p.id)}`,
    detail: p.kind,
    id: p.id,
  }));
  // No shipped profile is the machine the user is on: offer to measure it.
  const hasCalibration = profiles.some((p) => p.id === CALIBRATED_PROFILE_ID);
  const calibrate = { label: `$(beaker) ${hasCalibration ? 'Recalibrate' : 'Calibrate'} this machine…`, description: 'measure it with onnxruntime (under 2 minutes)', detail: '', id: '' };
  const picked = await vscode.window.showQuickPick(vscode.workspace.isTrusted ? [calibrate, ...items] : items, { title: 'Joule: hardware profile for energy estimates', matchOnDescription: true });
  if (!picked) return;
  if (picked === calibrate) {
    await vscode.commands.executeCommand(CommandIds.calibrateMachine);
    return;
  }
  await vscode.workspace.getConfiguration(CONFIG_SECTION).update('hardwareProfile', picked.id, target());
}

/** Joule: Set Grid Carbon Intensity… — a region from the shipped table, or a value of one's own. */
export async function setGridIntensity(): Promise<void> {
  const custom = { label: '$(edit) Enter a value in g CO2e/kWh…', id: 'custom', description: '' };
  const items = [
    custom,
    ...GRID_REGIONS.map((r) => ({ label: r.name, description: `${r.gPerKWh} g/kWh (${r.year})`, id: r.code })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Joule: grid carbon intensity',
    placeHolder: `Source: ${GRID_INTENSITY_ATTRIBUTION}`,
    matchOnDescription: true,
  });
  if (!picked) return;
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  if (picked.id !== 'custom') {
    await config.update('grid.region', picked.id, target());
    await config.update('grid.intensity', undefined, target());
    return;
  }
  const value = await vscode.window.showInputBox({
    title: 'Grid carbon intensity (g CO2e per kWh)',
    value: String(readConfig().gridIntensity ?? ''),
    validateInput: (text) => (/^\d+(\.\d+)?$/.test(text.trim()) && Number(text) <= 5000 ? undefined : 'A number of grams per kWh, 0 to 5000'),
  });
  if (value === undefined) return;
  await config.update('grid.intensity', Number(value), target());
}
