import { z } from 'zod';

/**
 * Every number the judge decides with. Defaults were set from the Brown corpus and the development split of
 * fixtures/judge-corpus (never the holdout); the harness config may override any of them.
 */
export const judgeThresholdsSchema = z.object({
  /** Statistical checks need this many words (or word pairs) before they speak; below it they pass. */
  minWordsForStatistics: z.number().int().positive().default(8),
  /** A run of one letter this long ("GGGGGGGG") is junk. */
  maxLetterRun: z.number().int().positive().default(8),
  /** A run of one symbol this long ("!!!!!!!!") is junk; rules like "-----" and "=====" are exempt. */
  maxSymbolRun: z.number().int().positive().default(8),
  /** Share of non-space characters that are neither letters nor digits. Code stays near 0.3. */
  maxSymbolShare: z.number().min(0).max(1).default(0.5),
  /** Share of non-space characters taken by the single most frequent one ("@ @ @ @"). */
  maxTopCharShare: z.number().min(0).max(1).default(0.45),
  /** Share of tokens inside back-to-back repeats of one unit (a loop). */
  maxLoopCoverage: z.number().min(0).max(1).default(0.3),
  /** A repeat counts as a loop only if it spans at least this many tokens. */
  minLoopSpanTokens: z.number().int().positive().default(12),
  /** Share of words that immediately repeat the word before ("the the", "TheThe"), with 3+ of them. */
  maxStutterShare: z.number().min(0).max(1).default(0.2),
  /** Distinct 4-gram share over all 4-grams, for texts of 50+ tokens. */
  minDistinct4: z.number().min(0).max(1).default(0.45),
  /** zlib-compressed size / raw size, for texts of 400+ bytes; loops compress far below prose (~0.45). */
  minCompressionRatio: z.number().min(0).max(1).default(0.2),
  /** Share of prose words found in the English lexicon (or its regular inflections). */
  minDictionaryShare: z.number().min(0).max(1).default(0.7),
  /** Unknown capitalised words pass as names up to this share of Latin words (3+ of them); beyond it they count as unknown. */
  maxUnknownNameShare: z.number().min(0).max(1).default(0.2),
  /** Consecutive non-English sentences with this many words mean the output switched language. */
  minWordsForLanguageSwitch: z.number().int().positive().default(10),
  /** Share of prose words that are among the 150 most frequent English words (the, of, and, is, …). */
  minFunctionWordShare: z.number().min(0).max(1).default(0.15),
  /** Prose words needed before the function-word share is trusted. */
  minWordsForFunctionShare: z.number().int().positive().default(30),
  /** Share of adjacent word pairs that English almost never produces (lift < implausibleLift). */
  maxImplausiblePairShare: z.number().min(0).max(1).default(0.15),
  /** A pair is implausible when it occurs at under this fraction of its chance rate in the Brown corpus. */
  implausibleLift: z.number().positive().default(0.1),
  /** A pair is impossible below this lift (never in the 1.16M-word Brown corpus where chance expects hundreds): 2+ fail a text, 1 a short one. */
  impossibleLift: z.number().positive().default(0.002),
  /** Mean natural-log lift of adjacent word pairs; English ~ +0.6, shuffled words ~ -1.3. */
  minMeanPairLogLift: z.number().default(-0.3),
  /** Tokenizer debris (Ġ, ▁, <0x0A>, <unk>, U+FFFD, mojibake) tolerated: none. */
  maxTokenizerArtifacts: z.number().int().min(0).default(0),
  /** Glued words ("thecapitalofFrance") or split words ("cap ital"), as a share of prose words. */
  maxBoundaryFaultShare: z.number().min(0).max(1).default(0.04),
  /** Letters outside the prompt's script (Latin when there is no prompt). */
  maxForeignScriptShare: z.number().min(0).max(1).default(0.2),
  /** Words whose letters mix scripts ("рабоtа"). */
  maxMixedScriptWords: z.number().int().min(0).default(1),
  /** Script changes between neighbouring words, per word ("kaz рабо Gesch 的 dél"). */
  maxScriptSwitchRate: z.number().min(0).max(1).default(0.15),
  /**
   * A ~50-word window fails only when a language check scores below this (0.5 is every check's pass line): a
   * window is as noisy as a short text, so it must be clearly past the line, not merely at it.
   */
  maxWindowScore: z.number().min(0).max(0.5).default(0.4),
});

export type JudgeThresholds = z.infer<typeof judgeThresholdsSchema>;

/** The config's `judge` section: any threshold to override, and what a `repetitive` verdict means for the run. */
export const judgeConfigSchema = judgeThresholdsSchema.partial().extend({
  /**
   * Fail a prompt whose output is `repetitive` (fluent sentences that repeat, as greedy decoding of a small healthy
   * model does). Default false: it passes with a warning in the test, the console and every report.
   */
  failOnRepetition: z.boolean().default(false),
}).strict();
export type JudgeConfig = z.infer<typeof judgeConfigSchema>;

export function resolveThresholds(overrides: Partial<JudgeThresholds> = {}): JudgeThresholds {
  return judgeThresholdsSchema.parse(overrides);
}
