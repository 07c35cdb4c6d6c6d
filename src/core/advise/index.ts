/** Public surface of the advisor (see docs/energy-model.md, "Advice"). */
export { advise, roleOf } from './advise';
export { quantizeWeights, toFp16, prune24, pruneStructured, fuseIntoProducer } from './variants';
export type { Advice, AdviceAction, AdviceOptions, LayerRole, LayerRoleEntry, ModelRecommendation, Recommendation } from './types';
