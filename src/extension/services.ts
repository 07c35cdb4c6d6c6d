import type * as vscode from 'vscode';
import type { AnalysisService } from './analysisService';
import type { Logger } from './log';
import type { ModelDimsStore } from './modelDims';
import type { ModelInputsStore } from './modelInputs';
import type { ReportEditorProvider } from './reportEditor';
import type { WorkspaceProfiles } from './workspaceProfiles';

/** What command handlers need, passed in (no module-level state). */
export interface Services {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  readonly analyses: AnalysisService;
  readonly reports: ReportEditorProvider;
  /** Shipped and workspace hardware profiles (workspace files read in the editor's worker). */
  readonly profiles: WorkspaceProfiles;
  /** Input values set per model (benchmarks, verification); absent in tests that build Services by hand. */
  readonly modelInputs?: ModelInputsStore;
  /** Dimensions set per model in its report. */
  readonly modelDims?: ModelDimsStore;
  /** Shows benchmark results in the benchmark panel. */
  showBench(model: vscode.Uri, result: import('../core/protocol').BenchView): void;
}
