/** Public surface of the energy model (see docs/energy-model.md). */
export * from './analysis';
export { estimate, costModel, onDevice, type EstimateInput, type EstimateSettings, type CostedModel } from './estimate';
export { validateProfile, PRECISIONS, PROFILE_KINDS, type HardwareProfile, type MemoryLevel, type Sourced, type ProfileKind, type ValidationResult } from './profileSchema';
export { getProfile, listProfiles, loadUserProfiles, shippedProfiles, DEFAULT_PROFILE_ID, type UserProfiles, type ProfileLoadError } from './profileRegistry';
export { effectivePrecision, peakOpsPerS, macEnergyPJ, BYTES_PER_ELEMENT } from './profileLookup';
export { planResidency, layerTraffic, tiledTrafficBytes, hongKungBytes, type LayerResidency, type ResidencyPlan, type LayerTraffic } from './memoryTraffic';
export { rooflineTiming, computeTimeS, memoryTimeS, type LayerTiming } from './roofline';
export { costLayer, computeEnergyJ, addEnergy, scaleEnergy, ZERO_ENERGY, type CostedLayer } from './layerEnergy';
export { atPowerCap, powerCapSweep, frequencyRatio, capTerms, type PowerCapResult, type PowerCapPoint, type PowerCapSource } from './powerCap';
export { servingEstimate, trainingEstimate, type ServingEstimate, type TrainingEstimate, type TrainingOptions } from './deployment';
export { carbonAwareCap, type CarbonAwareCap, type CarbonAwareCapOptions } from './carbonAwareCap';
export { co2eGrams, resolveCarbon, JOULES_PER_KWH, type CarbonSettings, type ResolvedCarbon } from './carbon';
export { GRID_REGIONS, GRID_INTENSITY_ATTRIBUTION, DEFAULT_GRID_REGION, findGridRegion, type GridRegion } from './gridIntensity';
export { profileUncertainty, band, formatBandFactor, isCalibrated, VALIDATION_LOG_ERROR, CALIBRATED_DEFAULT_LOG_ERROR, UNVALIDATED_LOG_ERROR, type Band, type Uncertainty } from './uncertainty';
