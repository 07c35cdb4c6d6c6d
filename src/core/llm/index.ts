/** Public surface of the LLM cost model (docs/llm-cost-model.md). */
export { type TransformerConfig, type NormKind, validateTransformerConfig } from './transformerConfig';
export { transformerParameters, blockParameters, type TransformerParameters, type BlockParameters } from './parameters';
export { transformerStepLayers, DEFAULT_PRECISION, LLM_DOMAIN, type LlmStep, type LlmPrecisionSettings } from './tokenLayers';
export { llmTokenCost, kvCacheBytesPerToken, stepTotals, DEFAULT_CONTEXTS, type LlmTokenCost, type DecodePoint, type PerTokenCost, type StepTotals } from './tokenCost';
export { llmTokenEnergy, llmTokenEnergyOfModel, type LlmTokenEnergy, type TokenEnergyPoint, type LlmTokenEnergyOptions } from './tokenEnergy';
export { transformerConfigOf, llmPrecisionOf, llmStepLayersOfModel, storedWeights, LLM_CONFIG_KEY } from './modelLlm';
