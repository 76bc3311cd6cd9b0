import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { consoleLogger } from '../log.ts';
import { outputs, record } from '../../test/support/run-fixtures.ts';
import { JsonlResultStore } from '../results/jsonl-store.ts';
import { buildReportContext, renderConsoleSummary } from './index.ts';
import { renderMarkdownSummary } from './markdown.ts';
import { printable } from './printable.ts';
import { renderResultsText } from './results-text.ts';

// clear the screen, set the terminal title, ring the bell, return the carriage, a C1 CSI, a right-to-left override
const hostile = ' Paris\u001b[2J\u001b]0;pwned\u0007 is\r the capital\u009b31m of \u202efrance';
const controlBytes = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('engine output with control bytes', () => {
  const rec = record('ctl', [
    { id: 'capital-of-france', text: outputs.paris + hostile, prompt: 'The capital\u001b[31m of France is' },
    { id: 'water', text: hostile, verdict: 'degenerate' },
    { id: 'crashed', text: '', error: `llama-completion died: ${hostile}` },
  ]);
  rec.rows[1]!.reasons = [`quoted output: ${hostile}`];
  rec.environment!.machine.cpuModel = 'EPYC\u001b[2J';
  const ctx = buildReportContext(rec);

  it('printable() escapes them visibly and keeps newlines and tabs', () => {
    expect(printable('a\u001b[2Jb\tc\nd\re\u0007\u009b\u202e')).toBe('a\\x1b[2Jb\tc\nd\\x0de\\x07\\x9b\\u202e');
  });

  it.each([
    ['the console summary (and so the gate)', () => renderConsoleSummary(ctx)],
    ['summary.md', () => renderMarkdownSummary(ctx)],
    ['bitnet_coherent_results.txt', () => renderResultsText(rec)],
  ])('%s carries none raw, and shows them escaped', (_, render) => {
    const out = render();
    expect(out).not.toMatch(controlBytes);
    expect(out).toContain('\\x1b[2J');
  });

  it('log lines (they quote engine errors) reach the console escaped', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((m: string) => void lines.push(m));
    consoleLogger('[t]').warn(`attempt 1/3: ${hostile}`);
    spy.mockRestore();
    expect(lines[0]).not.toMatch(controlBytes);
    expect(lines[0]).toContain('\\x1b]0;pwned\\x07');
  });

  it('results.jsonl keeps the bytes exactly as the engine wrote them', () => {
    const store = new JsonlResultStore(join(mkdtempSync(join(tmpdir(), 'bench-ctl-')), 'results.jsonl'));
    store.append(rec.rows[1]!);
    expect(store.read()[0]!.text).toBe(hostile);
    expect(readFileSync(store.file, 'utf8')).toContain('\\u001b[2J');
  });
});
