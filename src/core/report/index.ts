/**
 * Report formats of an analysis and of a comparison. The CLI, the extension and scripts call these
 * two functions; each format lives in its own module.
 */
import type { Analysis } from '../energy/analysis';
import { compareAnalyses } from './compare';
import { renderCompareCsv, renderCompareJson, renderCompareMarkdown, renderCompareTable } from './compareRender';
import { renderCsv } from './csv';
import { renderHtml } from './html/analysisHtml';
import { renderCompareHtml } from './html/compareHtml';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { renderTable } from './table';

export const REPORT_FORMATS = ['table', 'json', 'md', 'html', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(text: string): text is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(text);
}

/** Renders one analysis in `format`. HTML draws the roofline's roof from `analysis.profile.roofline` when set. */
export function renderAnalysis(analysis: Analysis, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return renderTable(analysis);
    case 'json':
      return renderJson(analysis);
    case 'md':
      return renderMarkdown(analysis);
    case 'csv':
      return renderCsv(analysis);
    case 'html':
      return renderHtml(analysis);
  }
}

/** Renders A versus B (two models, or one model on two profiles) in `format`. */
export function renderComparison(a: Analysis, b: Analysis, format: ReportFormat): string {
  const comparison = compareAnalyses(a, b);
  switch (format) {
    case 'table':
      return renderCompareTable(comparison);
    case 'json':
      return renderCompareJson(comparison);
    case 'md':
      return renderCompareMarkdown(comparison);
    case 'csv':
      return renderCompareCsv(comparison);
    case 'html':
      return renderCompareHtml(comparison);
  }
}

export { compareAnalyses } from './compare';
export { checkEnergyBudget, type BudgetVerdict } from './budget';
export { rooflineOf } from './roof';
