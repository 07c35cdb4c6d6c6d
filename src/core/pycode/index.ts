/**
 * Public surface of the Python model-code analysis, for the extension (inlay hints, hovers, CodeLens,
 * diagnostics, code actions) and the CLI (`joule analyze model.py`).
 */
export { analyzePythonSource, analyzePythonTree } from './analyzePythonSource';
export { PythonSourceSession, changeBetween } from './incremental';
export { applyEdits, suggestFixes, type FixTarget } from './fixes';
export type {
  AnalyzeSourceOptions, FixKind, FixSuggestion, ModelTotals, Shape, SourceAnalysis, SourceFramework, SourceLayer, SourceModel,
  SourcePosition, SourceRange, SourceWarning, TextEdit,
} from './types';
