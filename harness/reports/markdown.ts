import { describeDivergence } from '../compare/divergence.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import type { ReportContext } from './context.ts';
import { printable } from './printable.ts';
import { groupedDiagnoses } from './console-summary.ts';
import { agreementLines, baselineLegend, coherentCount, comparisonCell, describeSetup, engineCommand, rowRate, warningLines } from './present.ts';
import { phaseTotals, speedLines } from './time-and-speed.ts';
import { markdownVerdict, repetitionWarning } from './verdict-cell.ts';
import { formatMs } from '../run/phases.ts';

/** summary.md: the one screen for a pull request or `$GITHUB_STEP_SUMMARY`. GitHub-flavoured Markdown. */
export function renderMarkdownSummary(ctx: ReportContext): string {
  const { record, comparisons, gate } = ctx;
  const byBaseline = comparisons.map((c) => new Map(c.prompts.map((p) => [p.promptId, p])));
  const command = engineCommand(record);
  const icon = gate.status === 'ok' ? '✅' : gate.status === 'regression' ? '❌' : '⚠️';
  const out: string[] = [
    `## ${icon} BitNet coherence: ${coherentCount(record)}`,
    '',
    `Run \`${record.runId}\` (${record.project}) on ${esc(describeSetup(record))}. **Gate: ${gate.status}** (exit ${gate.code}).`,
    ...warningLines(record).flatMap((w) => ['', `> ⚠️ **${esc(w)}**`]),
    '',
    ...(command ? ['```sh', command, '```', ''] : []),
    `| Prompt | Verdict | Score | tok/s | ${comparisons.map((c, i) => `vs [${i + 1}]`).join(' | ')}${comparisons.length ? ' |' : ''}`,
    `|---|---|---:|---:|${comparisons.map(() => '---|').join('')}`,
  ];
  for (const id of record.promptIds) {
    const row = record.rows.find((r) => r.promptId === id);
    const verdict = markdownVerdict(row, record);
    const cells = [esc(row?.prompt ?? id), verdict, row ? row.score.toFixed(2) : '', rowRate(row), ...byBaseline.map((m, i) => esc(comparisonCell(m.get(id), comparisons[i]!)))];
    out.push(`| ${cells.join(' | ')} |`);
  }
  const warning = repetitionWarning(record);
  if (warning) out.push('', `> 🔁 **Warning:** ${esc(warning)}`);
  if (comparisons.length) {
    out.push('', '**Baselines**', '');
    comparisons.forEach((c, i) => out.push(`${i + 1}. ${esc(baselineLegend(c))}`));
  }
  const diagnoses = comparisons.flatMap((c, i) => groupedDiagnoses(c.prompts).map(([summary, ids]) => `- vs [${i + 1}] **${ids.join(', ')}**: ${esc(summary)}`));
  if (diagnoses.length) out.push('', '### Diagnosis', '', ...diagnoses);
  const agreement = agreementLines(comparisons);
  if (agreement.length) out.push('', '### Agreement with the greedy reference', '', 'Evidence beside the judge, never instead of it.', '', ...agreement.map((l) => `- ${esc(l)}`));
  if (gate.findings.length) out.push('', '### Gate findings', '', ...gate.findings.map((f) => `- ${f.promptId ? `**${f.promptId}** ` : ''}[${f.kind}] ${esc(f.message)}`));
  if (gate.warnings.length) out.push('', '### Warnings', '', ...gate.warnings.map((w) => `- ⚠️ ${esc(w)}`));
  const divergences = comparisons.flatMap((c, i) => (c.expectIdenticalOutputs ? c.prompts.filter((p) => p.divergence).map((p) => `- vs [${i + 1}] **${p.promptId}**: ${esc(describeDivergence(p.divergence!, ['now', 'then']))}`) : []));
  if (divergences.length) out.push('', '### Outputs that changed under greedy decoding', '', ...divergences);
  const speed = speedLines(record);
  if (speed.length) out.push('', '### Throughput', '', '```', ...speed, '```');
  const totals = phaseTotals(record);
  if (totals.length) {
    out.push('', '### Where the time went', '', '| Phase | Wall time | Share | Steps |', '|---|---:|---:|---:|');
    for (const p of totals) out.push(`| ${p.phase} | ${formatMs(p.ms)} | ${(p.share * 100).toFixed(1)} % | ${p.steps} |`);
  }
  if (record.cost) {
    out.push('', `**Billed** at $${record.cost.costPerHr.toFixed(3)}/hr: $${record.cost.totalDollars.toFixed(4)} for ${record.cost.totalSeconds.toFixed(0)} s`, '', '| Pod phase | Seconds | Dollars |', '|---|---:|---:|');
    for (const p of record.cost.phases) out.push(`| ${esc(p.name)} | ${p.seconds.toFixed(0)} | $${p.dollars.toFixed(4)} |`);
  }
  out.push('', `Full outputs and plots: \`${record.reportDir}/report.html\``, '');
  // summary.md is read in terminals and CI logs too: no control sequence from engine output survives
  return printable(out.join('\n'));
}

/** Table cells and list items: pipes and newlines would break the table; angle brackets would become HTML. */
function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}
