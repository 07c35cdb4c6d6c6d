/** Every command Joule contributes, in one place (package.json `contributes.commands` mirrors it). */
export const CommandIds = {
  analyzeModel: 'joule.analyzeModel',
  openReport: 'joule.openReport',
  quantizeModel: 'joule.quantizeModel',
  pruneModel: 'joule.pruneModel',
  runBenchmark: 'joule.runBenchmark',
  compareModels: 'joule.compareModels',
  selectProfile: 'joule.selectProfile',
  setGridIntensity: 'joule.setGridIntensity',
  exportReport: 'joule.exportReport',
  showLog: 'joule.showLog',
  refreshModels: 'joule.refreshModels',
  calibrateMachine: 'joule.calibrateMachine',
  setInputValues: 'joule.setInputValues',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** The command a webview's `runAction` starts. */
export const ACTION_COMMANDS = {
  quantize: CommandIds.quantizeModel,
  prune: CommandIds.pruneModel,
  benchmark: CommandIds.runBenchmark,
  compare: CommandIds.compareModels,
  export: CommandIds.exportReport,
  inputs: CommandIds.setInputValues,
} as const satisfies Record<string, CommandId>;
