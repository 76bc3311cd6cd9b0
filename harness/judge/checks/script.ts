import type { JudgeContext } from '../context.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { scriptOf } from '../language/scripts.ts';
import { pct, result, scoreAtMost } from './score.ts';

function letterScripts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of text) {
    const s = scriptOf(c);
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

function dominant(counts: Map<string, number>): string | undefined {
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Sudden switches into another script, token soup across scripts, and words that mix scripts. */
export function scriptMix(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  const expected = ctx.language.scripts;
  const expectedName = [...expected].join('/');
  const counts = letterScripts(ctx.text);
  const letters = [...counts.values()].reduce((a, b) => a + b, 0);
  if (letters === 0) return result('script-mix', true, 1, 'no letters to judge');
  const foreign = [...counts].filter(([s]) => !expected.has(s)).reduce((a, [, n]) => a + n, 0) / letters;
  const wordScripts = ctx.tokens.filter((tok) => tok.kind === 'word').map((tok) => letterScripts(tok.text));
  const mixedWords = ctx.tokens.filter((tok) => tok.kind === 'word').filter((_, i) => (wordScripts[i]?.size ?? 0) > 1).map((tok) => tok.text);
  const sequence = wordScripts.map(dominant);
  let switches = 0;
  for (let i = 1; i < sequence.length; i++) if (sequence[i] !== sequence[i - 1]) switches++;
  const switchRate = sequence.length ? switches / sequence.length : 0;
  // A prompt in two scripts (a chat template around a Japanese question) legitimately gets answers that switch.
  const switchLimit = expected.size > 1 ? 1 : t.maxScriptSwitchRate;
  const score = Math.min(scoreAtMost(foreign, t.maxForeignScriptShare, 0), scoreAtMost(switchRate, switchLimit, 0));
  const others = [...counts].filter(([s]) => !expected.has(s)).map(([s, n]) => `${s} ${pct(n / letters)}`).join(', ');
  if (foreign > t.maxForeignScriptShare) return result('script-mix', false, score, `switched script: ${pct(foreign)} of letters are not ${expectedName} (limit ${pct(t.maxForeignScriptShare)}): ${others}`);
  if (mixedWords.length > t.maxMixedScriptWords) return result('script-mix', false, Math.min(score, 0.3), `mixed scripts inside words: ${mixedWords.slice(0, 4).map((w) => `'${w}'`).join(', ')} (${mixedWords.length}, limit ${t.maxMixedScriptWords})`);
  if (switches >= 6 && switchRate > switchLimit) return result('script-mix', false, score, `token soup across scripts: the script changes ${switches} times in ${sequence.length} words (limit ${pct(switchLimit)} of words)`);
  return result('script-mix', true, score, others ? `${expectedName} text with ${others}` : `all letters are ${expectedName}`);
}
