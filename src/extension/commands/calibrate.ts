import * as vscode from 'vscode';
import { calibrateMachine } from '../../core/calibrate/calibrate';
import { CALIBRATED_PROFILE_ID, calibratedProfile, saveCalibratedProfile } from '../../core/calibrate/calibratedProfile';
import { getProfile } from '../../core/energy/profileRegistry';
import { CancelledError } from '../../core/errors';
import { CONFIG_SECTION, readConfig, userProfilesDir } from '../config';
import type { Services } from '../services';
import { requireTrust } from '../trust';

/**
 * Joule: Calibrate This Machine — measures this machine with onnxruntime (the same micro-benchmarks
 * as `joule calibrate`, in the benchmark's child process) and writes `this-machine.json` into the
 * workspace's profiles folder, then offers to use it.
 */
export async function calibrateThisMachine(s: Services): Promise<void> {
  if (!(await requireTrust('Calibration'))) return;
  const config = readConfig();
  const dir = userProfilesDir(config);
  if (dir === undefined) {
    void vscode.window.showErrorMessage('Joule: calibration writes a profile into the workspace: open a folder first.');
    return;
  }
  const reference = getProfile('x86-core') ?? getProfile('laptop-x86');
  if (!reference) return;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Joule: calibrating this machine (under 2 minutes)', cancellable: true },
      (progress, token) => {
        const signal = { get cancelled() { return token.isCancellationRequested; } };
        return calibrateMachine(config.benchThreads > 0 ? { threads: config.benchThreads } : {}, (done, total, what) => {
          progress.report({ message: `${Math.min(done + 1, total)}/${total} ${what}`, increment: 100 / total });
        }, signal);
      },
    );
    const file = saveCalibratedProfile(dir, calibratedProfile(result, reference));
    s.log.info(`Calibrated ${result.cpuModel} in ${result.durationS.toFixed(0)} s: wrote ${file}`);
    s.analyses.profilesChanged(dir);
    s.profiles.changed(dir);
    s.analyses.invalidate();
    const use = 'Use This Profile';
    const choice = await vscode.window.showInformationMessage(`Joule: measured this machine in ${result.durationS.toFixed(0)} s and wrote the '${CALIBRATED_PROFILE_ID}' profile.`, use);
    if (choice === use) await vscode.workspace.getConfiguration(CONFIG_SECTION).update('hardwareProfile', CALIBRATED_PROFILE_ID, vscode.ConfigurationTarget.Workspace);
  } catch (e) {
    if (e instanceof CancelledError) {
      void vscode.window.showInformationMessage('Joule: calibration cancelled; the previous profile, if any, is unchanged.');
      return;
    }
    s.log.error(`Calibration failed: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(`Joule: calibration failed: ${(e as Error).message}`);
  }
}
