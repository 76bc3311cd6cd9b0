import { describe, expect, it } from 'vitest';
import { PidLineFilter } from './pid-line.ts';

function filtered(chunks: string[]): { out: string; pids: number[]; pid: number | undefined } {
  let out = '';
  const pids: number[] = [];
  const filter = new PidLineFilter((chunk) => (out += chunk), (pid) => pids.push(pid));
  for (const chunk of chunks) filter.push(chunk);
  filter.flush();
  return { out, pids, pid: filter.pid };
}

describe('PidLineFilter', () => {
  it('strips the pid line even when it arrives split across chunks', () => {
    expect(filtered(['bitnet-bench-', 'pid:4', '21\nhello', ' world\n'])).toEqual({ out: 'hello world\n', pids: [421], pid: 421 });
  });

  it('keeps output printed before the pid line (a chatty shell profile)', () => {
    expect(filtered(['welcome!\nbitnet-bench-pid:7\nresult'])).toEqual({ out: 'welcome!\nresult', pids: [7], pid: 7 });
  });

  it('strips only the first pid line, so a program printing the same text keeps it', () => {
    expect(filtered(['bitnet-bench-pid:1\nbitnet-bench-pid:2\n']).out).toBe('bitnet-bench-pid:2\n');
  });

  it('passes everything on when the line never comes', () => {
    expect(filtered(['no pid ', 'here'])).toEqual({ out: 'no pid here', pids: [], pid: 0 });
    expect(filtered(['x'.repeat(70_000)]).out).toHaveLength(70_000);
  });
});
