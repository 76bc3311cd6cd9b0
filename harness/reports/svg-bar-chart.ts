/**
 * Grouped bar charts as inline SVG, drawn here so report.html needs no chart library and no network: one group
 * per category (prompt), one bar per series (this run, each baseline), optional error bars. Every
 * (category, series) pair gets a bar element — a missing value is a zero-height bar marked `missing` — so the
 * chart's structure is predictable for readers and tests alike.
 */
export interface BarSeries {
  name: string;
  color: string;
  values: (number | null)[];
  /** Half-width of the error bar per value (e.g. a 95 % margin of error); null or NaN draws none. */
  errors?: (number | null)[];
}

export interface BarChart {
  title: string;
  yLabel: string;
  categories: string[];
  series: BarSeries[];
  /** Fixed top of the axis (e.g. 1 for scores); default: the data's maximum, rounded up. */
  yMax?: number;
}

const W = 880;
const H = 300;
const M = { top: 30, right: 16, bottom: 96, left: 56 };

export function renderBarChart(chart: BarChart): string {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const tops = chart.series.flatMap((s) => s.values.map((v, i) => (v ?? 0) + finite(s.errors?.[i])));
  const yMax = chart.yMax ?? niceCeiling(Math.max(0, ...tops));
  const y = (v: number) => M.top + plotH - (yMax > 0 ? (v / yMax) * plotH : 0);
  const groupW = plotW / Math.max(1, chart.categories.length);
  const barW = (groupW * 0.8) / Math.max(1, chart.series.length);
  const parts: string[] = [];
  for (const tick of ticks(yMax)) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${f(y(tick))}" y2="${f(y(tick))}" stroke="#ddd"/>`, `<text x="${M.left - 6}" y="${f(y(tick) + 4)}" text-anchor="end" font-size="11">${fmtTick(tick)}</text>`);
  }
  chart.categories.forEach((category, ci) => {
    const gx = M.left + ci * groupW + groupW * 0.1;
    chart.series.forEach((s, si) => {
      const v = s.values[ci] ?? null;
      const x = gx + si * barW;
      const top = v === null ? y(0) : y(v);
      const label = `${s.name} — ${category}: ${v === null ? 'n/a' : fmtTick(v)}`;
      parts.push(`<rect class="bar${v === null ? ' missing' : ''}" data-series="${si}" data-category="${ci}" x="${f(x)}" y="${f(top)}" width="${f(barW - 1)}" height="${f(y(0) - top)}" fill="${s.color}"><title>${esc(label)}</title></rect>`);
      const e = s.errors?.[ci];
      if (v !== null && e !== null && e !== undefined && Number.isFinite(e) && e > 0) {
        const cx = f(x + (barW - 1) / 2);
        parts.push(`<path class="error-bar" d="M${cx} ${f(y(v + e))}V${f(y(Math.max(0, v - e)))}M${f(x + barW * 0.25)} ${f(y(v + e))}h${f(barW * 0.5 - 1)}M${f(x + barW * 0.25)} ${f(y(Math.max(0, v - e)))}h${f(barW * 0.5 - 1)}" stroke="#222" fill="none"/>`);
      }
    });
    const lx = M.left + ci * groupW + groupW / 2;
    parts.push(`<text x="${f(lx)}" y="${H - M.bottom + 12}" font-size="11" text-anchor="end" transform="rotate(-35 ${f(lx)} ${H - M.bottom + 12})">${esc(category)}</text>`);
  });
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f(y(0))}" y2="${f(y(0))}" stroke="#444"/>`);
  parts.push(`<text x="14" y="${f(M.top + plotH / 2)}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${f(M.top + plotH / 2)})">${esc(chart.yLabel)}</text>`);
  const legend = chart.series.map((s, i) => `<g transform="translate(${M.left + i * 200} 8)"><rect width="12" height="12" fill="${s.color}"/><text x="16" y="10" font-size="11">${esc(truncate(s.name, 30))}</text></g>`);
  return `<svg class="chart" role="img" aria-label="${esc(chart.title)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" font-family="system-ui, sans-serif">${legend.join('')}${parts.join('')}</svg>`;
}

function finite(x: number | null | undefined): number {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : 0;
}

/** 1, 2 or 5 times a power of ten, at or above the maximum. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= max)!;
}

function ticks(max: number): number[] {
  return [0, 0.25, 0.5, 0.75, 1].map((t) => t * max);
}

function fmtTick(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function f(n: number): string {
  return n.toFixed(1);
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
