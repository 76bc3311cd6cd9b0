import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** One labelled sample of fixtures/judge-corpus/*.jsonl. */
export const corpusSampleSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  prompt: z.string().optional(),
  expect: z.object({ contains: z.array(z.string()).optional(), containsAny: z.array(z.string()).optional() }).optional(),
  /** What the output is: `repetitive` = fluent, well-formed sentences that repeat (greedy decoding of a healthy model). */
  label: z.enum(['coherent', 'repetitive', 'degenerate']),
  /** The fault injected (degenerate) or the genre (coherent), e.g. `loop-long`, `poem`. */
  kind: z.string().min(1),
  split: z.enum(['dev', 'holdout']),
  /** Where a real output came from (issue URL), or how a sample was written. */
  source: z.string().optional(),
  /** What the collector noted about the sample (model, how it was copied). */
  note: z.string().optional(),
});
export type CorpusSample = z.infer<typeof corpusSampleSchema>;

export function readCorpus(file: string): CorpusSample[] {
  return readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    const parsed = corpusSampleSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: not a corpus sample: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
    return [parsed.data];
  });
}

/** Every *.jsonl in the corpus folder: new sources (e.g. a tiny model's real outputs) are picked up by dropping a file in. */
export function readCorpusDir(dir: string): CorpusSample[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().flatMap((f) => readCorpus(join(dir, f)));
}
