import { tokenRateSamples } from '../baselines/from-run.ts';
import type { PromptResult } from '../baselines/schema.ts';
import type { PromptComparison, RunComparison } from '../compare/compare.ts';
import { describeDivergence } from '../compare/divergence.ts';
import { describeRate, describeRateOn } from '../compare/rate.ts';
import { describeGate } from '../gate/gate.ts';
import { marginOfError, mean } from '../stats/index.ts';
import { isInfrastructureOutcome } from '../results/outcome.ts';
import type { ReportContext } from './context.ts';
import { groupedDiagnoses } from './console-summary.ts';
import { agreementLines, agreementSentence, baselineLegend, coherentCount, comparisonCell, describeSetup, engineCommand, formatRate, warningLines } from './present.ts';
import { type BarSeries, esc, renderBarChart } from './svg-bar-chart.ts';
import { REPETITION_WARNING, repetitionWarning, verdictTone, verdictWord } from './verdict-cell.ts';

const COLORS = ['#2563eb', '#f59e0b', '#10b981', '#a855f7', '#ef4444', '#64748b'];
/** Nothing is fetched: the page is one file that opens from disk, so the policy forbids every load. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** report.html: self-contained (inline CSS and SVG, no script), plots first, then every output. */
export function renderHtmlReport(ctx: ReportContext): string {
  const { record, comparisons, baselines, gate } = ctx;
  const ids = record.promptIds;
  const rows = new Map(record.rows.map((r) => [r.promptId, r]));
  const theirs = baselines.map((b) => new Map(b.prompts.map((p) => [p.id, p])));
  const rateOf = (samples: number[]) => ({ v: samples.length ? mean(samples) : null, e: marginOfError(samples) });
  const ours = ids.map((id) => rateOf(rows.get(id) ? tokenRateSamples(rows.get(id)!) : []));
  const rateSeries: BarSeries[] = [
    { name: 'this run', color: COLORS[0]!, values: ours.map((r) => r.v), errors: ours.map((r) => r.e) },
    ...baselines.map((b, i) => {
      const rates = ids.map((id) => rateOf(theirs[i]!.get(id)?.tokensPerSecond.samples ?? []));
      return { name: b.label, color: COLORS[(i + 1) % COLORS.length]!, values: rates.map((r) => r.v), errors: rates.map((r) => r.e) };
    }),
  ];
  const scoreSeries: BarSeries[] = [
    { name: 'this run', color: COLORS[0]!, values: ids.map((id) => rows.get(id)?.score ?? null) },
    ...baselines.map((b, i) => ({ name: b.label, color: COLORS[(i + 1) % COLORS.length]!, values: ids.map((id) => theirs[i]!.get(id)?.score ?? null) })),
  ];
  const byBaseline = comparisons.map((c) => new Map(c.prompts.map((p) => [p.promptId, p])));
  const table = ids.map((id) => {
    const row = rows.get(id);
    return `<tr><td><a href="#p-${esc(id)}">${esc(id)}</a></td>${verdictTd(row, record)}<td class="num">${row ? row.score.toFixed(2) : ''}</td><td class="num">${formatRate(row?.timings.tokensPerSecond)}</td>${byBaseline.map((m, i) => `<td>${esc(comparisonCell(m.get(id), comparisons[i]!))}</td>`).join('')}</tr>`;
  });
  const diagnoses = comparisons.flatMap((c, i) => groupedDiagnoses(c.prompts).map(([summary, pids]) => `<li>vs [${i + 1}] <b>${esc(pids.join(', '))}</b>: ${esc(summary)}</li>`));
  const agreement = agreementLines(comparisons);
  const command = engineCommand(record);
  const outputs = ids.map((id) => promptSection(id, rows.get(id), record, comparisons, byBaseline.map((m) => m.get(id))));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>BitNet coherence — ${esc(record.runId)}</title>
<style>${STYLE}</style></head>
<body>
<h1>BitNet coherence: ${esc(coherentCount(record))}</h1>
<p>Run <code>${esc(record.runId)}</code> (${esc(record.project)}, ${esc(record.status)}) on ${esc(describeSetup(record))}, ${esc(record.startedAt)}.</p>
${warningLines(record).map((w) => `<p class="warning">⚠ ${esc(w)}</p>`).join('')}${command ? `<pre class="command">${esc(command)}</pre>` : ''}
<pre class="gate ${gate.status}">${esc(describeGate(gate))}</pre>
${repetitionWarning(record) ? `<p class="warn-box">🔁 Warning: ${esc(repetitionWarning(record)!)}</p>` : ''}
<table><thead><tr><th>prompt</th><th>verdict</th><th>score</th><th>tok/s</th>${comparisons.map((_, i) => `<th>vs [${i + 1}]</th>`).join('')}</tr></thead><tbody>${table.join('')}</tbody></table>
${comparisons.length ? `<ol class="baselines">${comparisons.map((c) => `<li>${esc(baselineLegend(c))}</li>`).join('')}</ol>` : ''}
${diagnoses.length ? `<h2>Diagnosis</h2><ul>${diagnoses.join('')}</ul>` : ''}
${agreement.length ? `<h2>Agreement with the greedy reference</h2><p class="note">Evidence beside the judge, never instead of it.</p><ul>${agreement.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}
<h2>Tokens per second</h2>
<p class="note">Bars are the mean eval rate; error bars the 95 % margin of error where a prompt has two or more samples.</p>
<figure id="tokens-per-second">${renderBarChart({ title: 'tokens per second per prompt', yLabel: 'tokens/s', categories: ids, series: rateSeries })}</figure>
<h2>Judge scores</h2>
<figure id="judge-scores">${renderBarChart({ title: 'judge score per prompt', yLabel: 'score (1 = coherent)', categories: ids, series: scoreSeries, yMax: 1 })}</figure>
<h2>Outputs</h2>
${outputs.join('\n')}
</body></html>
`;
}

/** The verdict cell: green coherent, amber 🔁 repetitive (passing, with the warning as its title), red otherwise. */
function verdictTd(row: ReportContext['record']['rows'][number] | undefined, record: ReportContext['record']): string {
  const tone = verdictTone(row, record);
  const title = row?.verdict === 'repetitive' && !row.error ? ` title="${esc(REPETITION_WARNING)}"` : '';
  return `<td class="${tone}"${title}>${tone === 'warn' ? '🔁 ' : ''}${esc(verdictWord(row))}</td>`;
}

function promptSection(id: string, row: ReportContext['record']['rows'][number] | undefined, record: ReportContext['record'], runs: readonly RunComparison[], comparisons: (PromptComparison | undefined)[]): string {
  const tone = verdictTone(row, record);
  const head = `<h3>${esc(row?.prompt ?? id)} <span class="${tone}">${tone === 'warn' ? '🔁 ' : ''}${esc(verdictWord(row))}</span></h3>`;
  const reasons = row?.reasons.length ? `<ul class="reasons">${row.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '';
  const own = row ? `<pre class="output"><b>${esc(row.prompt)}</b>${esc(row.text)}</pre>` : '<p>(no result)</p>';
  const versus = comparisons.map((c, i) => (c?.baseline ? baselineBlock(i, runs[i]!, c, c.baseline) : '')).join('');
  return `<section class="prompt" id="p-${esc(id)}">${head}${reasons}${own}${versus}</section>`;
}

/** This run and a baseline side by side, the shared text plain and each side's text from the divergence on marked. */
function baselineBlock(i: number, run: RunComparison, c: PromptComparison, theirs: PromptResult): string {
  const { baseline } = run;
  const d = c.divergence;
  const mark = (text: string) => (d ? `${esc(text.slice(0, d.charOffset))}<mark>${esc(text.slice(d.charOffset))}</mark>` : esc(text));
  const same = theirs.truncated ? `same text as far as the baseline publishes (its author abbreviated the rest as ${JSON.stringify(theirs.truncated.marker)})` : 'identical output';
  const line = agreementSentence(c, run) ?? (d ? describeDivergence(d, ['this run', 'baseline']) : c.current && !c.current.error && !theirs.error ? same : '');
  const rate = baseline.kind === 'previous-run' ? describeRate(c.rate) : describeRateOn(c.rate, baseline.environment.cpu);
  return `<details class="versus"${c.diagnosis.code !== 'fine' || d ? ' open' : ''}><summary>vs [${i + 1}] ${esc(baseline.label)}: ${esc(c.diagnosis.summary)}; ${esc(rate)}</summary>
<p class="note">${esc(line)}</p><div class="pair"><pre class="output"><i>this run</i>\n${mark(c.current?.text ?? '')}</pre><pre class="output"><i>baseline: ${esc(theirs.verdict)}</i>\n${mark(theirs.text)}</pre></div></details>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1000px;padding:0 1rem;color:#111}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}.num{text-align:right}
.ok{color:#15803d;font-weight:600}.bad{color:#b91c1c;font-weight:600}.warn{color:#b45309;font-weight:600}.warn-box{padding:.5rem;border-left:4px solid #d97706;background:#fffbeb}.gate{padding:.5rem;border-left:4px solid #888;background:#f6f6f6;white-space:pre-wrap}
.gate.ok{border-color:#15803d}.gate.regression{border-color:#b91c1c}.gate.infrastructure{border-color:#d97706}
pre.output{white-space:pre-wrap;background:#fafafa;border:1px solid #eee;padding:.5rem;margin:.25rem 0}mark{background:#fde68a}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}.note{color:#555}figure{margin:0}section.prompt{border-top:1px solid #ddd;margin-top:1rem}`;
