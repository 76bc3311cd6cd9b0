import { describe, expect, it } from 'vitest';
import { outputs, record, type RowSpec } from '../../test/support/run-fixtures.ts';
import { exitCodes } from '../gate/gate.ts';
import { renderConsoleSummary } from './console-summary.ts';
import { buildReportContext } from './context.ts';
import { renderCsv } from './csv.ts';
import { renderHtmlReport } from './html.ts';
import { renderMarkdownSummary } from './markdown.ts';
import { renderMetricsJson } from './metrics-json.ts';
import { renderResultsText } from './results-text.ts';

const rows: RowSpec[] = [
  { id: 'capital-of-france', text: outputs.paris },
  { id: 'relativity', text: outputs.repetitive, verdict: 'repetitive' },
  { id: 'water', text: outputs.loop, verdict: 'degenerate' },
];

describe('a repetitive verdict in every report: its own word, icon and colour, and the warning', () => {
  const ctx = buildReportContext(record('rep', rows));

  it('passes the gate by default; the gate fails it only with failOnRepetition', () => {
    expect(ctx.gate.findings.map((f) => f.promptId)).toEqual(['water']);
    const strict = buildReportContext(record('strict', rows, { failOnRepetition: true })).gate;
    expect(strict.code).toBe(exitCodes.regression);
    expect(strict.findings.map((f) => [f.promptId, f.message])).toEqual([
      ['relativity', expect.stringMatching(/^repetitive output \(judge\.failOnRepetition is set\) \(score 0\.10\): repetition-loop/)],
      ['water', expect.stringMatching(/^degenerate output \(score 0\.31\)/)],
    ]);
  });

  it('console: repetitive (!) in the table and a warning line; the count names it', () => {
    const text = renderConsoleSummary(ctx);
    expect(text).toMatch(/^BitNet coherence — rep: 1\/3 coherent, 1 repetitive on /);
    expect(text).toMatch(/relativity\s+repetitive \(!\)/);
    expect(text).toMatch(/water\s+DEGENERATE/);
    expect(text).toMatch(/\nWarning: 1 repetitive output\(s\): relativity — fluent sentences that repeat.*set judge\.failOnRepetition to fail them/);
    expect(renderConsoleSummary(buildReportContext(record('strict', rows, { failOnRepetition: true })))).toMatch(/relativity\s+REPETITIVE/);
  });

  it('Markdown: 🔁 repetitive (warning) and a warning quote', () => {
    const md = renderMarkdownSummary(ctx);
    expect(md).toContain('| Prompt relativity | 🔁 repetitive (warning) | 0.10 |');
    expect(md).toContain('| Prompt water | ❌ degenerate |');
    expect(md).toMatch(/\n> 🔁 \*\*Warning:\*\* 1 repetitive output\(s\): relativity/);
    expect(renderMarkdownSummary(buildReportContext(record('strict', rows, { failOnRepetition: true })))).toContain('| ❌ repetitive |');
  });

  it('HTML: an amber warn class with the icon and the warning as its title, and a warning box', () => {
    const html = renderHtmlReport(ctx);
    expect(html).toMatch(/<td class="warn" title="fluent sentences that repeat[^"]*">🔁 repetitive<\/td>/);
    expect(html).toMatch(/<td class="bad">degenerate<\/td>/);
    expect(html).toMatch(/\.warn\{color:#b45309/);
    expect(html).toMatch(/<p class="warn-box">🔁 Warning: 1 repetitive output\(s\): relativity/);
    expect(html).toMatch(/<h3>Prompt relativity <span class="warn">🔁 repetitive<\/span><\/h3>/);
  });

  it('text report, CSV and JSON carry the value; the text report says WARNING', () => {
    expect(renderResultsText(ctx.record)).toMatch(/Verdict: repetitive \(score 0\.10\) — WARNING: fluent sentences that repeat/);
    expect(renderCsv(ctx.rows).split('\n')[2]).toMatch(/,relativity,Prompt relativity,repetitive,judged,0\.1,/);
    expect(JSON.parse(renderMetricsJson(ctx.record)).prompts.map((r: { verdict: string }) => r.verdict)).toEqual(['coherent', 'repetitive', 'degenerate']);
  });
});
