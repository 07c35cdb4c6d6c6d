/** Public API of local benchmarks: what the CLI, the extension and the report panel call. */
export { runBenchmark, listExecutionProviders, defaultWorkerPath, DEFAULT_ITERATIONS, DEFAULT_WARMUP, DEFAULT_TIMEOUT_S, type CancelSignal } from './runner';
export { BenchFailure, type BenchFailureCause } from './benchFailure';
export type { BenchOptions, BenchResult, BenchProgress, BenchPhase, MeasuredLayer, InputShape, UserInput, InputElementType } from './types';
export { summarize, histogram, quantileSorted, type LatencySummary } from './stats';
export { recordProtocol, protocolDifferences, hostLabel, type BenchProtocol } from './protocol';
export { saveRun, loadRun, listRuns, runsFolder, safeName, type SavedRun, type RunSummary } from './runStore';
export { compareRuns, type RunComparison, type MetricComparison, type LayerComparison } from './compare';
export { timeByLayer, matchLayer } from './profileParser';
export { measuredVsEstimated, type MeasuredVsEstimated, type LayerTimeRow } from './measuredVsEstimated';
export { selectEnergyMeter, type MeterSelectionOptions, type MeterSelection } from './energy/selectMeter';
export type { EnergyMeasurement, EnergySource, EnergyMeter } from './energy/types';
export { raplPermissionHint } from './energy/rapl';
export { runPowerCapSweep, type PowerCapSweepResult, type MeasuredCapPoint, type CapSetting, type UnavailableCap, type SweepPlan } from './capSweep';
export { recommendCap, greenestWindow, currentGridIntensity, type CapCandidate, type CapRecommendation, type GreenWindow, type ResolvedIntensity } from './carbon/carbonAware';
export { fetchCurrentIntensity, fetchIntensityForecast, LiveIntensityError, type LiveIntensityConfig, type IntensityPoint, type LiveSourceKind } from './carbon/liveIntensity';
