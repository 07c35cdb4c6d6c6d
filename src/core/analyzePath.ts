/**
 * One entry for any file a user points Joule at: Python model code goes through the source analysis,
 * everything else through the model-file pipeline. Both give the same Analysis.
 */
import { analyzeFile } from './analyzeFile';
import type { AnalyzeFileOptions } from './analyzeOptions';
import { analyzeSourceFile } from './analyzeSource';
import type { Analysis } from './energy/analysis';

export function isPythonPath(path: string): boolean {
  return /\.pyw?$/i.test(path);
}

export function analyzePath(path: string, options: AnalyzeFileOptions = {}): Analysis {
  return isPythonPath(path) ? analyzeSourceFile(path, options).analysis : analyzeFile(path, options);
}
