import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PromptExpectation } from './types.ts';

/**
 * The checkable answers of the project's own prompt sets (fixtures/prompts/seed.json), by prompt text. Outputs judged
 * outside a run (`npm run judge`) carry the prompt but rarely its expectation; a continuation of "The capital of
 * France is" must still mention Paris. An explicit `expect` on the input always wins.
 */
// Only the seed set: the demo set's expectations describe the tiny model's own written texts.
const PROMPT_SETS = ['seed.json'];

const normalize = (prompt: string) => prompt.trim().replace(/\s+/g, ' ').toLowerCase();

const known: Map<string, PromptExpectation> = new Map(
  PROMPT_SETS.flatMap((file) => {
    const set = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/prompts', file), 'utf8')) as { prompts: { text: string; expect?: PromptExpectation }[] };
    return set.prompts.filter((p) => p.expect).map((p) => [normalize(p.text), p.expect!] as const);
  }),
);

export function knownExpectation(prompt: string | undefined): PromptExpectation | undefined {
  return prompt === undefined ? undefined : known.get(normalize(prompt));
}
