import type { CheckResult, JudgeInput, Verdict } from './types.ts';

export type * from './types.ts';

/**
 * First judge of the vertical slice: two cheap signals (empty output, a dominant repeated n-gram).
 * The full judge (harness/judge/*) replaces the body; callers only depend on this signature.
 */
export function judge(input: JudgeInput): Verdict {
  const checks: CheckResult[] = [nonEmpty(input.text), notLooping(input.text)];
  const failed = checks.filter((c) => !c.pass);
  const score = Math.min(...checks.map((c) => c.score));
  return { verdict: failed.length ? 'degenerate' : 'coherent', score, reasons: failed.map((c) => `${c.name}: ${c.reason}`), checks };
}

function nonEmpty(text: string): CheckResult {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return { name: 'non-empty', pass: words > 0, score: words > 0 ? 1 : 0, reason: `${words} words generated` };
}

function notLooping(text: string): CheckResult {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const trigrams = new Map<string, number>();
  for (let i = 0; i + 3 <= words.length; i++) {
    const key = words.slice(i, i + 3).join(' ');
    trigrams.set(key, (trigrams.get(key) ?? 0) + 1);
  }
  const total = Math.max(1, words.length - 2);
  const distinct = trigrams.size / total;
  return { name: 'distinct-3', pass: words.length < 12 || distinct >= 0.5, score: distinct, reason: `distinct 3-gram share ${distinct.toFixed(2)} (needs ≥ 0.50)` };
}
