export { marginOfError, mean, percentile, type SampleSummary, standardDeviation, standardError, summarize, welford } from './describe.ts';
export { tCdf, tQuantile } from './t-distribution.ts';
