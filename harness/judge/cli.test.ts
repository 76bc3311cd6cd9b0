import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = new URL('./cli.ts', import.meta.url).pathname;
const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname;

const parseLines = (stdout: string) => stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);

async function judgeFile(content: string): Promise<{ lines: Array<Record<string, unknown>>; code: number; stderr: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'judge-cli-')), 'in.jsonl');
  writeFileSync(file, content);
  try {
    const { stdout, stderr } = await run(tsx, [cli, file]);
    return { lines: parseLines(stdout), code: 0, stderr };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { lines: parseLines(e.stdout), code: e.code, stderr: e.stderr };
  }
}

describe('judge CLI', () => {
  it('prints one verdict per input line, in order', async () => {
    const { lines, code } = await judgeFile([
      JSON.stringify({ text: ' Paris, the largest city of the country, on the Seine.', prompt: 'The capital of France is', expect: { containsAny: ['Paris'] } }),
      JSON.stringify({ text: 'GGGGGGGGGGGGGGGG' }),
      JSON.stringify({ text: ' a lovely city.', expect: { containsAny: ['Paris'] } }),
    ].join('\n'));
    expect(code).toBe(0);
    expect(lines.map((l) => l.verdict)).toEqual(['coherent', 'degenerate', 'degenerate']);
    expect(lines[1]?.reasons).toEqual([expect.stringMatching(/^character-junk: one character repeated/)]);
    expect(typeof lines[0]?.score).toBe('number');
    expect(Array.isArray(lines[0]?.checks)).toBe(true);
  });

  it('reports a malformed line by number, keeps the others, exits non-zero', async () => {
    const { lines, code, stderr } = await judgeFile(['{"text": "Paris is lovely."}', '{oops', '{"prompt": "no text"}', '{"text": ""}'].join('\n'));
    expect(code).toBe(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]?.verdict).toBe('coherent');
    expect(lines[1]).toEqual({ line: 2, error: expect.stringMatching(/^line 2: not valid JSON/) });
    expect(lines[2]).toEqual({ line: 3, error: expect.stringMatching(/^line 3: .*text/) });
    expect(lines[3]?.verdict).toBe('degenerate');
    expect(stderr).toMatch(/2 malformed line/);
  });

  it('says so when the file holds nothing to judge, instead of printing nothing', async () => {
    for (const content of ['', '\n\n  \n']) {
      const { lines, code, stderr } = await judgeFile(content);
      expect(code).toBe(2);
      expect(lines).toEqual([]);
      expect(stderr).toMatch(/is empty.*nothing to judge\. Give one JSON object per line, e\.g\. \{"text"/);
    }
  });

  it('takes "prompt": null as no prompt', async () => {
    const { lines, code } = await judgeFile(JSON.stringify({ text: 'Paris is the capital and largest city of France, on the Seine.', prompt: null }));
    expect(code).toBe(0);
    expect(lines[0]?.verdict).toBe('coherent');
  });

  it('does not judge text holding half a surrogate pair coherent', async () => {
    const { lines } = await judgeFile('{"text": "Paris is the capital and largest city of France \\ud83d, on the Seine."}');
    expect(lines[0]?.verdict).toBe('degenerate');
    expect(String(lines[0]?.reasons)).toMatch(/tokenizer-artifacts: .*lone surrogate/);
  });
});
