import { agreementCell, describeAgreement } from '../compare/agreement.ts';
import { failsJudge, type PromptComparison, type RunComparison } from '../compare/compare.ts';
import { shellQuote } from '../targets/ssh/quote.ts';
import type { ResultRow, RunEnvironment, RunRecord } from '../results/types.ts';
import { mean, standardDeviation } from '../stats/index.ts';

export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? 'n/a' : rate.toFixed(2);
}

/**
 * `−21 % slower`, `+3 %`, `n/a` — the change against a previous run of this platform, in one cell.
 */
export function rateCell(p: PromptComparison): string {
  const r = p.rate;
  if (r.verdict === 'no-data') return 'n/a';
  const sign = r.change >= 0 ? '+' : '−';
  const tag = r.verdict === 'unchanged' ? '' : ` ${r.verdict}`;
  return `${sign}${Math.abs(r.change * 100).toFixed(0)} %${tag}`;
}

/**
 * A `vs [n]` cell that reads on its own: the finding (the diagnosis' first clause: `the ARM kernels are at fault`,
 * `regression`, `fine`), the agreement with a greedy reference, and the rate — as a change against a previous run
 * of this platform, as the published figure of another platform (`38.03 tok/s there`).
 */
export function comparisonCell(p: PromptComparison | undefined, c: RunComparison): string {
  if (!p) return '—';
  const parts = [p.diagnosis.finding, ...(p.agreement ? [agreementCell(p.agreement)] : [])];
  if (c.baseline.kind === 'previous-run') parts.push(`rate ${rateCell(p)}`);
  else if (p.rate.baseline.n) parts.push(`${p.rate.baseline.mean.toFixed(2)} tok/s there`);
  return parts.join(' · ');
}

/** The legend line of baseline n: label, kind, where it ran; says when it is a greedy reference, and how many of its prompts this run did not ask. */
export function baselineLegend(c: RunComparison): string {
  const env = c.baseline.environment;
  const ref = c.reference ? (c.reference.mismatch ? ` — greedy reference, not comparable with this run: ${c.reference.mismatch}` : ' — greedy reference of this engine, model and flags') : '';
  const n = c.notAsked.length;
  const notAsked = n ? ` — has ${n} prompt${n === 1 ? '' : 's'} this run did not ask` : '';
  return `${c.baseline.label} (${c.baseline.kind}; ${env.arch} ${env.cpu}, ${env.engine} ${env.engineCommit})${ref}${notAsked}`;
}

/** The agreement sentence of one prompt with a greedy reference that applies to this run; undefined otherwise. */
export function agreementSentence(p: PromptComparison, c: RunComparison): string | undefined {
  if (!p.agreement || !c.reference) return undefined;
  return describeAgreement(p.agreement, c.reference.name, Boolean(p.current && failsJudge(p.current)));
}

/** One line per prompt compared with a greedy reference: `vs [1] capital-of-france: agrees with the x86 reference (…) for all 72 words`. */
export function agreementLines(comparisons: readonly RunComparison[]): string[] {
  return comparisons.flatMap((c, i) =>
    c.prompts.flatMap((p) => {
      const sentence = agreementSentence(p, c);
      return sentence ? [`vs [${i + 1}] ${p.promptId}: ${sentence}`] : [];
    }),
  );
}

/** `x86_64 AMD EPYC 7763, bitnet.cpp 01eb415, BitNet-b1.58-2B-4T` */
export function describeSetup(record: RunRecord): string {
  const env = record.environment;
  const m = env?.machine ?? record.machine;
  if (!m) return record.project;
  const oversubscribed = env?.threadsWarning ? ` (more than the ${m.physicalCores ?? m.cores} physical cores!)` : '';
  return env ? `${m.arch} ${m.cpuModel}, ${env.engine} ${env.engineCommit}, ${env.modelName}, ${env.threads} threads${oversubscribed}` : `${m.arch} ${m.cpuModel}`;
}

/** An argv as one copy-pasteable line: arguments quoted (POSIX shell) only where they need it. */
export function commandLineText(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : shellQuote(a))).join(' ');
}

/**
 * The engine command line the run recorded, as one line; undefined for a run that recorded none. A llama-server's
 * command line has no -n or --temp (they travel with each request), so in server mode a shell comment says them.
 */
export function engineCommand(record: RunRecord): string | undefined {
  const env = record.environment;
  if (!env?.engineArgv) return undefined;
  const perRequest = record.engineMode === 'server' ? `  # each /completion request: n_predict ${env.nPredict}, temperature ${env.temperature}` : '';
  return `${commandLineText(env.engineArgv)}${perRequest}`;
}

/** `-n 500 -b 1 -t 4 --temp 0 --override-kv tokenizer.ggml.pre=str:llama-bpe`: the settings that shape the output. */
export function settingsLine(env: RunEnvironment): string {
  return [`-n ${env.nPredict} -b ${env.batchSize} -t ${env.threads} --temp ${env.temperature}`, ...(env.overrideKv ?? []).map((kv) => `--override-kv ${kv}`)].join(' ');
}

/** `WARNING: …` lines for every report: what makes this run's results doubtful. */
export function warningLines(record: RunRecord): string[] {
  const env = record.environment;
  return [...(env?.threadsWarning ? [env.threadsWarning] : []), ...(env?.warnings ?? [])].map((w) => `WARNING: ${w}`);
}

export function coherentCount(record: RunRecord): string {
  const n = record.rows.filter((r) => r.verdict === 'coherent' && !r.error).length;
  const repetitive = record.rows.filter((r) => r.verdict === 'repetitive' && !r.error).length;
  return `${n}/${record.promptIds.length} coherent${repetitive ? `, ${repetitive} repetitive` : ''}`;
}

/** A prompt's tok/s cell: `5.12`, or `5.12 ± 0.08` when it was repeated (throughput.perPromptRepetitions > 1). */
export function rowRate(row: ResultRow | undefined): string {
  const samples = row?.samples ?? [];
  if (samples.length < 2) return formatRate(row?.timings.tokensPerSecond);
  return `${mean(samples).toFixed(2)} ± ${standardDeviation(samples).toFixed(2)}`;
}
