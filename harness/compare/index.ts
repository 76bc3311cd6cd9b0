export { compareAll, compareRun, type PromptComparison, type RunComparison } from './compare.ts';
export { type Diagnosis, type DiagnosisCode, diagnose } from './diagnosis.ts';
export { describeDivergence, type Divergence, firstDivergence } from './divergence.ts';
export { compareRates, defaultRateOptions, describeRate, type RateComparison, type RateOptions, type RateVerdict } from './rate.ts';
