/**
 * npm run baseline:rejudge -- fixtures/baselines/<name>.json … [--prompts fixtures/prompts/seed.json] [--check]
 *
 * Re-applies the current judge to the texts of baselines (after a judge change), rewriting verdict, score and
 * reasons in place. --check changes nothing and exits 1 when a stored verdict is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadPromptSet } from '../config/load.ts';
import { HarnessError } from '../errors.ts';
import { loadBaseline } from './io.ts';
import { rejudgeBaseline } from './rejudge.ts';

const USAGE = 'usage: npm run baseline:rejudge -- <baseline.json> … [--prompts fixtures/prompts/seed.json] [--check]';

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { prompts: { type: 'string', default: 'fixtures/prompts/seed.json' }, check: { type: 'boolean', default: false } } });
  if (!positionals.length) {
    console.error(`expected at least one baseline file\n${USAGE}`);
    return 3;
  }
  const prompts = loadPromptSet(values.prompts);
  let stale = 0;
  for (const file of positionals) {
    const { baseline, changed } = rejudgeBaseline(loadBaseline(file), prompts);
    if (!changed.length) {
      console.log(`${file}: verdicts up to date`);
      continue;
    }
    stale++;
    console.log(`${file}: ${values.check ? 'stale' : 'rejudged'}\n  ${changed.join('\n  ')}`);
    if (!values.check) {
      // keep the file's own key order and $schema pointer: only the judged fields change
      const raw = JSON.parse(readFileSync(file, 'utf8'));
      raw.prompts = raw.prompts.map((p: { id: string }) => {
        const r = baseline.prompts.find((q) => q.id === p.id)!;
        return { ...p, verdict: r.verdict, score: r.score, reasons: r.reasons };
      });
      writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
    }
  }
  return values.check && stale ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof HarnessError ? error.describe() : (error as Error).message);
  process.exitCode = 3;
}
