import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError } from '../../core/errors';
import { runTransform } from '../../core/transform/runTransform';
import type { ModelModeAdvice } from '../../core/transform/recommendMode';
import { formatTransformSummary } from '../../core/transform/summary';
import { modeFromAction, PRUNE_MODES, QUANTIZE_MODES } from '../../core/actions/modes';
import type { QuantizeMode, TransformRequest, TransformResult } from '../../core/transform/types';
import { readConfig } from '../config';
import type { HardwareProfile } from '../../core/energy/profileSchema';
import { pickModel } from '../pickModel';
import { REPORT_VIEW_TYPE } from '../reportEditor';
import type { Services } from '../services';
import { requireTrust } from '../trust';

type EnergyProfile = { readonly profile: HardwareProfile } | { readonly profileId: string };

interface ActionOptions {
  readonly mode?: string;
  readonly layer?: string;
  /** Pruning ratio; asked for when absent. */
  readonly ratio?: number;
}

/** Joule: Quantize Model… */
export async function quantizeModel(s: Services, arg?: unknown, options?: ActionOptions): Promise<TransformResult | undefined> {
  if (!(await requireTrust('Quantizing a model'))) return undefined;
  const uri = await pickModel(arg, s.reports.activeUri, 'Quantize which model?', { onnxOnly: true });
  if (!uri) return undefined;
  const energyProfile = await energyProfileFor(s, uri);
  const advice = await adviseMode(s, uri, energyProfile);
  // The advisor's generic "quantize to int8" becomes the int8 mode this profile runs fast.
  const advised = options?.mode === 'quantize-int8' || options?.mode === 'int8' ? advice?.mode.startsWith('int8') ? advice.mode : 'int8-static' : undefined;
  const mode = advised ?? modeFromAction(options?.mode, QUANTIZE_MODES) ?? (await vscode.window.showQuickPick(quantizePicks(advice), { title: `Quantize ${path.basename(uri.fsPath)}` }))?.id;
  if (!mode) return undefined;
  return transform(s, { model: uri.fsPath, transform: { op: 'quantize', mode }, energyProfile, ...onlyLayer(options) }, `Quantizing${options?.layer ? ` ${options.layer}` : ''} to ${mode}`);
}

/**
 * The profile a transform's estimate is priced on: the one the user sees for this model (its report's
 * picker when a report is open, else the setting), user profiles included.
 */
async function energyProfileFor(s: Services, uri: vscode.Uri): Promise<EnergyProfile> {
  const profileId = s.reports.profileOf(uri) ?? readConfig(uri).hardwareProfile;
  try {
    return { profile: await s.profiles.resolve(profileId, uri) };
  } catch {
    return { profileId }; // an unknown profile: the transform's estimate says why
  }
}

/** A per-layer recommendation transforms only that layer. */
function onlyLayer(options: ActionOptions | undefined): Pick<TransformRequest, 'only'> {
  return options?.layer ? { only: [options.layer] } : {};
}

/** Which quantization modes run fast on the profile, for this model (read in the analysis worker). */
async function adviseMode(s: Services, uri: vscode.Uri, energyProfile: EnergyProfile): Promise<ModelModeAdvice | undefined> {
  try {
    return await s.analyses.recommendQuantizeMode(uri, energyProfile);
  } catch {
    return undefined; // unreadable model or unknown profile: the transform itself reports why
  }
}

/** The recommended mode first, every mode with the latency change expected on the profile. */
function quantizePicks(advice: ModelModeAdvice | undefined): (vscode.QuickPickItem & { id: QuantizeMode })[] {
  const ordered = advice ? [...QUANTIZE_MODES].sort((a, b) => Number(b.id === advice.mode) - Number(a.id === advice.mode)) : QUANTIZE_MODES;
  return ordered.map((m) => {
    const speed = advice?.perMode[m.id];
    const expect = !advice || speed === 'unknown' ? '' : `Expected ${speed === 'fast' ? 'faster' : 'SLOWER'} on ${advice.profile}. `;
    const recommended = advice?.mode === m.id;
    return {
      ...m,
      ...(recommended ? { description: `recommended for ${advice.profile}` } : {}),
      detail: `${expect}${recommended ? `${advice.reason}. ` : ''}${m.detail}`,
    };
  });
}

/** Joule: Prune Model… */
export async function pruneModel(s: Services, arg?: unknown, options?: ActionOptions): Promise<TransformResult | undefined> {
  if (!(await requireTrust('Pruning a model'))) return undefined;
  const uri = await pickModel(arg, s.reports.activeUri, 'Prune which model?', { onnxOnly: true });
  if (!uri) return undefined;
  const mode = modeFromAction(options?.mode, PRUNE_MODES) ?? (await vscode.window.showQuickPick(PRUNE_MODES.map((m) => ({ ...m })), { title: `Prune ${path.basename(uri.fsPath)}` }))?.id;
  if (!mode) return undefined;
  let ratio = options?.ratio ?? 0.5;
  if (mode !== '2:4' && options?.ratio === undefined) {
    const text = await vscode.window.showInputBox({
      title: mode === 'structured' ? 'Fraction of channels to remove' : 'Fraction of weights to zero',
      value: mode === 'structured' ? '0.3' : '0.5',
      validateInput: (t) => (Number(t) > 0 && Number(t) < 1 ? undefined : 'A number between 0 and 1'),
    });
    if (text === undefined) return undefined;
    ratio = Number(text);
  }
  return transform(s, { model: uri.fsPath, transform: { op: 'prune', mode, ratio }, energyProfile: await energyProfileFor(s, uri), ...onlyLayer(options) }, `Pruning${options?.layer ? ` ${options.layer}` : ''} (${mode})`);
}

/** Runs a transform in its child process with cancellable progress, then shows the verification. */
async function transform(s: Services, request: TransformRequest, title: string): Promise<TransformResult | undefined> {
  // Input values set for the model (Joule: Set Input Values…) feed every verification sample.
  try {
    const given = s.modelInputs?.values(vscode.Uri.file(request.model));
    if (given) request = { ...request, verification: { ...request.verification, inputs: given } };
  } catch (e) {
    void vscode.window.showErrorMessage(`Joule: the input values set for ${path.basename(request.model)} cannot be used: ${(e as Error).message}`);
    return undefined;
  }
  const name = path.basename(request.model);
  request = withVerificationData(request);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Joule: ${title} ${name}`, cancellable: true },
      (progress, token) => {
        let last = 0;
        return runTransform(
          request,
          (p) => {
            progress.report({ message: p.message, increment: Math.max(0, (p.fraction - last) * 100) });
            last = Math.max(last, p.fraction);
          },
          { get cancelled() { return token.isCancellationRequested; } },
        );
      },
    );
    const summary = formatTransformSummary(result);
    s.log.info(`${title} ${request.model}\n${summary}`);
    const v = result.verification;
    const headline = [
      `Wrote ${path.basename(result.output)}`,
      `cosine ${v.cosine.toFixed(4)}`,
      `size ×${v.fileBytes.ratio.toFixed(2)}`,
      v.latencyMs ? `measured latency ×${(v.latencyMs.after / v.latencyMs.before).toFixed(2)}` : undefined,
      v.energyJ ? `estimated energy ×${(v.energyJ.after / v.energyJ.before).toFixed(2)} on ${v.energyJ.profile}` : undefined,
    ].filter(Boolean).join(' · ');
    // Bad news is said plainly (e.g. int8 slower than fp32 on this CPU), never hidden in the log.
    const said = [...v.notes, ...(v.expectation ? [v.expectation.text] : [])];
    const notes = said.length > 0 ? ` — ${said.join(' ')}` : '';
    const open = 'Open Report';
    const show = v.notes.length > 0 || v.expectation?.held === false ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(`${headline}${notes}`, open, 'Show Details').then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(result.output), REPORT_VIEW_TYPE);
      if (choice === 'Show Details') s.log.show();
    });
    return result;
  } catch (e) {
    if (e instanceof CancelledError) {
      void vscode.window.showInformationMessage(`Joule: ${title} ${name} cancelled; nothing was written.`);
      return undefined;
    }
    s.log.error(`${title} ${request.model} failed: ${(e as Error).message}`);
    void vscode.window.showErrorMessage(`Joule: ${title} ${name} failed: ${(e as Error).message}`);
    return undefined;
  }
}

/** joule.transform.verificationData, resolved against the model's workspace folder. */
function withVerificationData(request: TransformRequest): TransformRequest {
  const uri = vscode.Uri.file(request.model);
  const data = readConfig(uri).transformVerificationData.trim();
  if (!data) return request;
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(request.model);
  return { ...request, verification: { ...request.verification, data: path.resolve(folder, data) } };
}
