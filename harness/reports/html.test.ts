import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../../test/support/chromium.ts';
import { armMachine, outputs, record, type RowSpec } from '../../test/support/run-fixtures.ts';
import { snapshotOf } from '../baselines/from-run.ts';
import { writeReports } from './index.ts';

const ids = ['capital-of-france', 'microsoft', 'ai-2025', 'relativity', 'once-upon-a-time', 'programming-languages', 'water', 'human-brain', 'bitcoin', 'fibonacci'];
const texts = [outputs.paris, outputs.water];
const now: RowSpec[] = ids.map((id, i) => ({ id, text: i === 6 ? outputs.loop : texts[i % 2]!, verdict: i === 6 ? 'degenerate' : 'coherent', rate: 4.5 + i / 10, prompt: `Prompt <${id}> & "quotes"` }));

/** A previous run measured with three repetitions, so its bars get error bars. */
function withSamples(spec: RowSpec[], spread: number) {
  const base = snapshotOf(record('x86-last-week', spec), { label: 'x86 last week', kind: 'previous-run' });
  for (const p of base.prompts) p.tokensPerSecond.samples = p.tokensPerSecond.samples.flatMap((x) => [x - spread, x, x + spread]);
  return base;
}

// Skipped only outside CI: in CI a missing Chromium must fail, not pass as skipped.
describe.skipIf(!hasChromium && !process.env.CI)('report.html in a real headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-html-'));
  const run = record('20260110-100000-x86-ab12', now, { reportDir: join(dir, 'run') });
  const previous = withSamples(ids.map((id, i) => ({ id, text: id === 'water' ? outputs.water : texts[i % 2]!, rate: 5 })), 0.2);
  const arm = snapshotOf(record('arm', ids.map((id) => ({ id, text: outputs.armSalad, verdict: 'degenerate', rate: 9 })), { machine: armMachine }), { label: 'Apple M1, bitnet.cpp 01eb415 — word salad (upstream #348)', kind: 'platform' });
  const seen: { requests: string[]; console: string[]; pageErrors: string[] } = { requests: [], console: [], pageErrors: [] };
  let context: Awaited<ReturnType<typeof launchChromium>>;
  let page: Awaited<ReturnType<typeof context.newPage>>;
  let url: string;

  beforeAll(async () => {
    await writeReports(run, { baselines: [previous, arm], stepSummaryFile: join(dir, 'step-summary.md') });
    url = pathToFileURL(join(run.reportDir, 'report.html')).href;
    context = await launchChromium();
    // every request the page makes is recorded, and any but the report itself is refused
    await context.route('**/*', (route) => {
      seen.requests.push(route.request().url());
      return route.request().url() === url ? route.continue() : route.abort();
    });
    page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && seen.console.push(m.text()));
    page.on('pageerror', (e) => seen.pageErrors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => context?.close());

  it('opens from disk with no request but the file itself and no console errors', () => {
    expect(seen.requests).toEqual([url]);
    expect(seen.console).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
  });

  it('draws tokens/s per prompt against both baselines: prompts × series bars, error bars where there are samples', async () => {
    const chart = page.locator('#tokens-per-second svg');
    expect(await chart.locator('rect.bar').count()).toBe(ids.length * 3);
    expect(await chart.locator('rect.bar.missing').count()).toBe(0);
    // only the previous run has repeated samples: one error bar per prompt
    expect(await chart.locator('path.error-bar').count()).toBe(ids.length);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    const heights = await chart.locator('rect.bar').evaluateAll((els) => els.map((e) => (e as SVGRectElement).getBBox().height));
    expect(heights.every((h) => h > 0)).toBe(true);
    // the ARM bars (9 tok/s) are drawn taller than this run's (4.5–5.4 tok/s)
    const armHeight = await chart.locator('rect.bar[data-series="2"][data-category="0"]').evaluate((e) => (e as SVGRectElement).getBBox().height);
    expect(armHeight).toBeGreaterThan(heights[0]! * 1.5);
  });

  it('draws judge scores per prompt, on a 0–1 axis', async () => {
    const bars = page.locator('#judge-scores svg rect.bar');
    expect(await bars.count()).toBe(ids.length * 3);
    expect(await bars.nth(0).locator('title').textContent()).toBe('this run — capital-of-france: 0.92');
  });

  it('shows every output with the greedy divergence from the previous run highlighted', async () => {
    expect(await page.locator('section.prompt').count()).toBe(ids.length);
    const water = page.locator('#p-water details').first();
    expect(await water.getAttribute('open')).not.toBeNull();
    expect(await water.locator('summary').textContent()).toMatch(/regression: coherent in "x86 last week", word salad now/);
    const marks = await water.locator('mark').allTextContents();
    expect(marks).toEqual([outputs.loop.slice(1), outputs.water.slice(1)]);
    // prompts are escaped, not interpreted as HTML
    expect(await page.locator('#p-water h3').textContent()).toContain('Prompt <water> & "quotes"');
  });

  it('summary.md is written and appended to $GITHUB_STEP_SUMMARY, pipes and angle brackets escaped', () => {
    const md = readFileSync(join(run.reportDir, 'summary.md'), 'utf8');
    expect(readFileSync(join(dir, 'step-summary.md'), 'utf8')).toBe(`${md}\n`);
    expect(md).toMatch(/^## ❌ BitNet coherence: 9\/10 coherent/);
    expect(md).toContain('| Prompt &lt;water&gt; & "quotes" | ❌ degenerate | 0.31 | 5.10 | regression · rate +2 % | the weights or the forward pass are at fault · 9.00 tok/s there |');
    expect(md.split('\n').filter((l) => l.startsWith('| Prompt')).length).toBe(ids.length + 1);
  });

  it('heads the page with the gate verdict and the diagnosis against the ARM baseline', async () => {
    expect(await page.locator('pre.gate').textContent()).toMatch(/^Gate: REGRESSION \(exit 1\)/);
    expect(await page.locator('h2:has-text("Diagnosis") + ul').textContent()).toMatch(/the ARM kernels are at fault: coherent here, word salad on Apple M1/);
  });
});
