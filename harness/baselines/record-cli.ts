/**
 * npm run baseline:record -- reports/<run-id>|reports/latest fixtures/baselines/<name>.json --label "…" [--kind platform|previous-run|simulated]
 */
import { parseArgs } from 'node:util';
import { HarnessError } from '../errors.ts';
import { readRunFolder } from '../results/run-folder.ts';
import { saveBaseline } from './io.ts';
import { snapshotOf } from './from-run.ts';
import { type BaselineKind, baselineKinds } from './schema.ts';

const USAGE = 'usage: npm run baseline:record -- <run folder> <baseline.json> [--label "Apple M1, bitnet.cpp 01eb415 — word salad"] [--kind platform|previous-run|simulated]';

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { label: { type: 'string' }, kind: { type: 'string', default: 'previous-run' } } });
  const [runDir, out] = positionals;
  if (!runDir || !out || positionals.length > 2) return usage(`expected a run folder and an output file, got ${positionals.length} arguments`);
  if (!baselineKinds.includes(values.kind as BaselineKind)) return usage(`--kind must be one of ${baselineKinds.join(', ')}, got "${values.kind}"`);
  const baseline = snapshotOf(readRunFolder(runDir), { label: values.label, kind: values.kind as BaselineKind });
  saveBaseline(out, baseline);
  const coherent = baseline.prompts.filter((p) => p.verdict === 'coherent').length;
  console.log(`recorded ${out}: "${baseline.label}" (${baseline.kind}), ${baseline.prompts.length} prompts, ${coherent} coherent`);
  return 0;
}

function usage(problem: string): number {
  console.error(`${problem}\n${USAGE}`);
  return 3;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof HarnessError ? error.describe() : (error as Error).message);
  process.exitCode = 3;
}
