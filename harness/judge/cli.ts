/**
 * `npm run judge -- FILE.jsonl` (or `-` for stdin): judges text produced outside a run. Each input line is a JSON
 * object with `text` (and optional `prompt`, `expect`); each output line is the verdict for the input line at the
 * same position: {"verdict", "score", "reasons", "checks"}. A malformed line yields {"line", "error"} in its place,
 * the other lines are still judged, and the exit code is 1. Blank lines are skipped; a file with nothing to judge
 * says so and exits 2. `"prompt": null` means no prompt.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { judge } from './index.ts';

const inputLineSchema = z.object({
  text: z.string({ error: '"text" must be a string' }),
  // null is what many writers emit for "no prompt" (Python's None, a missing column): the same as leaving it out.
  prompt: z.string().nullish().transform((p) => p ?? undefined),
  expect: z.object({ contains: z.array(z.string()).optional(), containsAny: z.array(z.string()).optional() }).optional(),
});

export function judgeLine(line: string, lineNumber: number): { output: object; ok: boolean } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, output: { line: lineNumber, error: `line ${lineNumber}: not valid JSON (${(error as Error).message})` } };
  }
  const parsed = inputLineSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ');
    return { ok: false, output: { line: lineNumber, error: `line ${lineNumber}: expected {"text": string, "prompt"?: string, "expect"?: {...}}: ${problems}` } };
  }
  const { verdict, score, reasons, checks } = judge(parsed.data);
  return { ok: true, output: { verdict, score, reasons, checks } };
}

async function main(args: string[]): Promise<number> {
  const [source] = args;
  if (!source || args.length > 1) {
    process.stderr.write('usage: npm run judge -- FILE.jsonl   (or - to read stdin); each line: {"text": "...", "prompt"?: "...", "expect"?: {"containsAny": [...]}}\n');
    return 2;
  }
  const input = source === '-' ? process.stdin : createReadStream(source, 'utf8');
  let failures = 0;
  let lineNumber = 0;
  let judged = 0;
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      if (!line.trim()) continue;
      judged++;
      const { output, ok } = judgeLine(line, lineNumber);
      if (!ok) failures++;
      process.stdout.write(`${JSON.stringify(output)}\n`);
    }
  } catch (error) {
    process.stderr.write(`cannot read ${source}: ${(error as Error).message}\n`);
    return 2;
  }
  if (judged === 0) {
    const what = source === '-' ? 'standard input' : source;
    process.stderr.write(`${what} is empty${lineNumber ? ` (${lineNumber} blank line(s))` : ''}: nothing to judge. Give one JSON object per line, e.g. {"text": "Paris is the capital of France.", "prompt": "The capital of France is"}\n`);
    return 2;
  }
  if (failures) process.stderr.write(`${failures} malformed line(s); see the "error" objects in the output\n`);
  return failures ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
