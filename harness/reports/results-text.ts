import type { RunRecord } from '../results/types.ts';
import type { ResultRow } from '../results/types.ts';
import { formatMs } from '../run/phases.ts';
import type { RunComparison } from '../compare/compare.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import { agreementSentence, baselineLegend, engineCommand, rowRate, settingsLine, warningLines } from './present.ts';
import { printable } from './printable.ts';
import { phaseLine, speedLines } from './time-and-speed.ts';
import { REPETITION_WARNING } from './verdict-cell.ts';

const RULE = '='.repeat(80);

/** bitnet_coherent_results.txt: what the seed scp'd home — a header, then every prompt with its full output. */
export function renderResultsText(record: RunRecord, comparisons: readonly RunComparison[] = []): string {
  const env = record.environment;
  const m = env?.machine ?? record.machine;
  const command = engineCommand(record);
  const yes = (b: boolean | undefined) => (b ? 'yes' : 'no');
  const header = [
    `BitNet coherence run ${record.runId} (${record.project})`,
    `Date:     ${record.startedAt}`,
    m ? `Platform: ${m.os} ${m.arch}, ${m.cpuModel}, ${m.cores} cores, AVX2 ${yes(m.flags.avx2)}, AVX-512 ${yes(m.flags.avx512)}, NEON ${yes(m.flags.neon)}, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB` : 'Platform: (not reached)',
    env ? `Target:   ${env.targetLabel}` : '',
    env ? `Engine:   ${env.engine} ${env.engineCommit} (${env.engineVersion})` : '',
    env ? `Model:    ${env.modelName}: ${env.modelFile} (${env.modelBytes.toLocaleString('en-US')} bytes)` : '',
    env ? (command ? `Command:  ${command}` : `Settings: ${settingsLine(env)}`) : '',
    ...warningLines(record),
    `Status:   ${record.status}${record.failure ? ` — ${record.failure.step} failed: ${record.failure.message}` : ''}`,
    record.failure?.hint ? `What to do: ${record.failure.hint}` : '',
    record.engineMode ? `Mode:     ${record.engineMode === 'server' ? 'one llama-server for the run' : 'one engine process per prompt'}` : '',
    ...speedLines(record),
    record.phases.length ? `Time:     ${phaseLine(record)}` : '',
    ...comparisons.map((c, i) => `Baseline: [${i + 1}] ${baselineLegend(c)}`),
  ].filter(Boolean);
  const blocks = record.rows.map((row, i) => {
    const t = row.timings;
    const rate = t.tokensPerSecond === null ? 'n/a' : `${t.tokensPerSecond.toFixed(2)} tok/s`;
    return [
      RULE,
      `[${i + 1}/${record.promptIds.length}] ${row.prompt}`,
      isInfrastructureOutcome(row) ? `Outcome: infrastructure fault, not graded: ${row.error ?? ''}` : `Verdict: ${row.verdict} (score ${row.score.toFixed(2)})${row.verdict === 'repetitive' ? ` — WARNING: ${REPETITION_WARNING}${record.failOnRepetition ? ' (it is set: this prompt fails)' : ''}` : ''}${row.reasons.length ? `\n  - ${row.reasons.join('\n  - ')}` : ''}`,
      `Speed:   ${rate}, ${t.evalTokens} tokens in ${formatMs(t.evalMs)}; prompt ${t.promptTokensPerSecond?.toFixed(1) ?? 'n/a'} tok/s; load ${t.loadMs === null ? 'n/a' : formatMs(t.loadMs)}${latencyText(row)}`,
      ...versusLines(row.promptId, comparisons),
      '-'.repeat(80),
      row.error ? `(no output: ${row.error})` : `${row.prompt}${row.text}`,
    ].join('\n');
  });
  // the full outputs, escaped where they hold control bytes (`cat` of this file must not drive the terminal)
  return printable(`${[...header, ...blocks, RULE].join('\n')}\n`);
}

/** `Versus:  [1] the ARM kernels are at fault: …`, with the agreement when baseline 1 is a greedy reference. */
function versusLines(promptId: string, comparisons: readonly RunComparison[]): string[] {
  return comparisons.flatMap((c, i) => {
    const p = c.prompts.find((q) => q.promptId === promptId);
    if (!p) return [];
    const agreement = agreementSentence(p, c);
    return [`Versus:  [${i + 1}] ${p.diagnosis.summary}${agreement ? `; ${agreement}` : ''}`];
  });
}

function latencyText(row: ResultRow): string {
  const l = row.latency;
  const parts = [
    (row.samples?.length ?? 0) > 1 ? `repeated ${row.samples!.length}×: ${rowRate(row)} tok/s` : '',
    l?.ttftMs != null ? `TTFT ${formatMs(l.ttftMs)}` : '',
    l?.tpotMs != null ? `TPOT ${l.tpotMs.toFixed(2)} ms` : '',
    l?.itlMs ? `ITL p50/p90/p99 ${l.itlMs.p50.toFixed(2)}/${l.itlMs.p90.toFixed(2)}/${l.itlMs.p99.toFixed(2)} ms` : '',
  ].filter(Boolean);
  return parts.length ? `\n         ${parts.join('; ')}` : '';
}
