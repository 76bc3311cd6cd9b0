import type { JudgeContext } from '../context.ts';
import { knownExpectation } from '../known-prompts.ts';
import type { CheckResult } from '../types.ts';
import { result } from './score.ts';

/** The judge-free correctness probe: a prompt with a checkable answer names strings the answer must contain. */
export function expectation(ctx: JudgeContext): CheckResult {
  const expect = ctx.input.expect ?? knownExpectation(ctx.input.prompt);
  if (!expect || (!expect.contains?.length && !expect.containsAny?.length)) return result('expectation', true, 1, 'no expectation for this prompt');
  const haystack = ctx.text.toLowerCase();
  const missing = (expect.contains ?? []).filter((s) => !haystack.includes(s.toLowerCase()));
  const anyOf = expect.containsAny ?? [];
  const anyHit = anyOf.length === 0 || anyOf.some((s) => haystack.includes(s.toLowerCase()));
  if (missing.length) return result('expectation', false, 0, `does not answer the prompt: missing ${missing.map((s) => `'${s}'`).join(', ')}`);
  if (!anyHit) return result('expectation', false, 0, `does not answer the prompt: contains none of ${anyOf.map((s) => `'${s}'`).join(', ')}`);
  return result('expectation', true, 1, 'contains the expected answer');
}
