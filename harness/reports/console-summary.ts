import type { PromptComparison } from '../compare/compare.ts';
import { describeGate } from '../gate/gate.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import type { ReportContext } from './context.ts';
import { printable } from './printable.ts';
import { agreementLines, baselineLegend, coherentCount, comparisonCell, describeSetup, engineCommand, rowRate, warningLines } from './present.ts';
import { phaseLine, speedLines } from './time-and-speed.ts';
import { consoleVerdict, repetitionWarning } from './verdict-cell.ts';

/**
 * The one screen printed at the end of a run: per prompt its verdict, tok/s and standing against each baseline,
 * then the diagnoses worth reading and the gate's verdict.
 */
export function renderConsoleSummary(ctx: ReportContext): string {
  const { record, comparisons, gate } = ctx;
  const byBaseline = comparisons.map((c) => new Map(c.prompts.map((p) => [p.promptId, p])));
  const header = ['prompt', 'verdict', 'tok/s', ...comparisons.map((c, i) => `vs [${i + 1}]`)];
  const rows = record.promptIds.map((id) => {
    const row = record.rows.find((r) => r.promptId === id);
    const verdict = consoleVerdict(row, record);
    return [id, verdict, rowRate(row), ...byBaseline.map((m, i) => comparisonCell(m.get(id), comparisons[i]!))];
  });
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const legend = comparisons.map((c, i) => `  [${i + 1}] ${baselineLegend(c)}`);
  const agreement = agreementLines(comparisons).map((l) => `  ${l}`);
  const diagnoses = comparisons.flatMap((c, i) => groupedDiagnoses(c.prompts).map(([summary, ids]) => `  vs [${i + 1}] ${ids.join(', ')}: ${summary}`));
  const command = engineCommand(record);
  // every line may carry engine output or a host's own strings: none reaches the terminal as a control sequence
  return printable([
    `BitNet coherence — ${record.runId}: ${coherentCount(record)} on ${describeSetup(record)}`,
    ...warningLines(record),
    ...(command ? [`Command: ${command}`] : []),
    '',
    ...(record.rows.length ? [line(header), ...rows.map(line)] : [`no prompt ran (${record.promptIds.length} planned)`]),
    ...(repetitionWarning(record) ? ['', `Warning: ${repetitionWarning(record)}`] : []),
    ...(legend.length ? ['', 'Baselines:', ...legend] : []),
    ...(diagnoses.length ? ['', 'Diagnosis:', ...diagnoses] : []),
    ...(agreement.length ? ['', 'Agreement with the greedy reference (evidence beside the judge):', ...agreement] : []),
    ...(speedLines(record).length ? ['', ...speedLines(record)] : []),
    ...(record.phases.length ? ['', `Time: ${phaseLine(record)}`] : []),
    '',
    describeGate(gate),
    `Reports: ${record.reportDir}/summary.md, report.html`,
  ].join('\n'));
}

/** Prompts sharing a diagnosis are listed together: ten "ARM kernels at fault" lines say less than one. */
export function groupedDiagnoses(prompts: readonly PromptComparison[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const p of prompts) if (p.diagnosis.code !== 'fine') groups.set(p.diagnosis.summary, [...(groups.get(p.diagnosis.summary) ?? []), p.promptId]);
  return [...groups];
}
