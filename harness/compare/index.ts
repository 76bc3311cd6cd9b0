export { agreementCell, type Agreement, describeAgreement, isEarly, referenceMismatch, type TokenLimits, verbatimText, wordAgreement } from './agreement.ts';
export { type GreedySettings, greedyFlagMismatches, greedySettings } from './greedy-flags.ts';
export { type CompareOptions, compareAll, compareRun, failsJudge, type PromptComparison, type ReferenceStatus, referenceName, type RunComparison } from './compare.ts';
export { archFamily, type Diagnosis, type DiagnosisCode, diagnose } from './diagnosis.ts';
export { describeDivergence, type Divergence, firstDivergence } from './divergence.ts';
export { compareRates, defaultRateOptions, describeRate, type RateComparison, type RateOptions, type RateVerdict } from './rate.ts';
