import { describe, expect, it } from 'vitest';
import { parseCpuQuota, parseCpuinfo } from '../targets/describe.ts';
import { chooseThreads } from './threads.ts';

const machine = (physicalCores: number, cores = physicalCores) => ({ hostname: 'pod', cores, physicalCores });

describe('chooseThreads', () => {
  it('defaults to min(4, physical cores)', () => {
    expect(chooseThreads(undefined, machine(2))).toEqual({ threads: 2 });
    expect(chooseThreads(undefined, machine(32))).toEqual({ threads: 4 });
    expect(chooseThreads(undefined, machine(4, 8))).toEqual({ threads: 4 });
    expect(chooseThreads(undefined, machine(1, 2))).toEqual({ threads: 1 });
  });

  it('keeps an explicit value, and warns when it exceeds the physical cores', () => {
    expect(chooseThreads(2, machine(2))).toEqual({ threads: 2 });
    const over = chooseThreads(4, machine(2));
    expect(over.threads).toBe(4);
    expect(over.warning).toMatch(/generation\.threads = 4 exceeds the 2 physical cores of pod/);
  });

  it('falls back to logical cores for records without physicalCores', () => {
    expect(chooseThreads(undefined, { hostname: 'old', cores: 3 })).toEqual({ threads: 3 });
  });
});

describe('physical cores', () => {
  const block = (processor: number, core: number, physical = 0) => `processor\t: ${processor}\nmodel name\t: X\nphysical id\t: ${physical}\ncore id\t\t: ${core}\nflags\t\t: avx2\n`;

  it('counts hyper-threads of one core once', () => {
    const text = [block(0, 0), block(1, 1), block(2, 0), block(3, 1)].join('\n');
    expect(parseCpuinfo(text, 'x86_64')).toMatchObject({ processors: 4, physicalCores: 2 });
  });

  it('tells sockets apart, and counts processors where the kernel gives no core ids (ARM)', () => {
    expect(parseCpuinfo([block(0, 0, 0), block(1, 0, 1)].join('\n'), 'x86_64').physicalCores).toBe(2);
    expect(parseCpuinfo('processor\t: 0\nFeatures\t: asimd\n\nprocessor\t: 1\nFeatures\t: asimd\n', 'aarch64').physicalCores).toBe(2);
  });

  it('reads a cgroup CPU quota', () => {
    expect(parseCpuQuota('200000 100000\n')).toBe(2);
    expect(parseCpuQuota('150000 100000')).toBe(2);
    expect(parseCpuQuota('max 100000')).toBeUndefined();
    expect(parseCpuQuota('-1 100000')).toBeUndefined();
    expect(parseCpuQuota('')).toBeUndefined();
  });
});
