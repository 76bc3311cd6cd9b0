import type { CheckResult } from '../types.ts';

/**
 * Scores on one scale for every check: 0.5 exactly at the threshold, 1 at the ideal value, 0 at the worst.
 * So `pass` is always `score >= 0.5`, and the verdict's combined score (the minimum) reads the same way.
 */
export function scoreAtLeast(value: number, threshold: number, ideal: number): number {
  if (value >= threshold) return clamp(0.5 + (0.5 * (value - threshold)) / Math.max(1e-9, ideal - threshold));
  return clamp((0.5 * (value - (2 * threshold - ideal))) / Math.max(1e-9, ideal - threshold));
}

export function scoreAtMost(value: number, threshold: number, ideal: number): number {
  return scoreAtLeast(-value, -threshold, -ideal);
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}

export function result(name: string, pass: boolean, score: number, reason: string): CheckResult {
  return { name, pass, score: pass ? Math.max(0.5, score) : Math.min(0.49, score), reason };
}

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** A short quotation of the text for a reason message. */
export function quote(s: string, max = 40): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return `'${flat.length > max ? `${flat.slice(0, max)}…` : flat}'`;
}

/** English-only checks pass, saying why, when the prompt is in another language (its answer may be too). */
export function notEnglishPrompt(name: string): CheckResult {
  return result(name, true, 1, 'the prompt is not English: English-only check not applied');
}
