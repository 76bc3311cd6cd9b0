/**
 * npm run reports:merge -- reports/<run-a> reports/<run-b> … --out reports/<merged> [--baseline file …]
 *
 * Merges run folders (each shard's results.jsonl + run.json) into one run folder and renders every report there.
 * Exits 0 when merged (the gate's verdict is printed; `npm run gate -- <merged>` exits with it), 3 on bad input.
 */
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { baselineFilesOf, loadBaselines } from '../baselines/io.ts';
import { loadConfigFromFlag } from '../config/load.ts';
import { HarnessError } from '../errors.ts';
import { exitCodes } from '../gate/gate.ts';
import { writeFileAtomic } from '../results/atomic-write.ts';
import { readRunFolder } from '../results/run-folder.ts';
import { renderConsoleSummary, writeReports } from './index.ts';
import { distinctCpus, mergeRuns } from './merge.ts';

const USAGE = 'usage: npm run reports:merge -- <run folder> <run folder> … --out reports/<merged> [--baseline fixtures/baselines/x.json …] [--config bench.config.json]';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, baseline: { type: 'string', multiple: true }, config: { type: 'string' } } });
  if (!values.out || positionals.length < 1) {
    console.error(`${!values.out ? '--out is required' : 'no run folders given'}\n${USAGE}`);
    return exitCodes.usage;
  }
  const records = positionals.map(readRunFolder);
  const out = resolve(values.out);
  const merged = mergeRuns(records, { runId: basename(out), reportDir: out });
  const cpus = distinctCpus(records);
  if (cpus.length > 1) console.warn(`warning: the shards ran on different CPUs (${cpus.join('; ')}); their token rates are not comparable with each other`);
  // The config always supplies the comparison settings; --baseline only replaces its list of baselines.
  const loaded = loadConfigFromFlag(values.config);
  const baselines = loadBaselines(values.baseline ?? baselineFilesOf(loaded));
  const { context } = await writeReports(merged, { baselines, rateOptions: loaded.config.compare });
  writeFileAtomic(join(out, 'results.jsonl'), merged.rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  console.log(`merged ${records.length} runs (${merged.rows.length}/${merged.promptIds.length} prompts) into ${out}\n`);
  console.log(renderConsoleSummary(context));
  return exitCodes.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof HarnessError ? error.describe() : (error as Error).stack);
    process.exitCode = exitCodes.usage;
  },
);
