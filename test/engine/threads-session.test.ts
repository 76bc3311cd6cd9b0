import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../harness/log.ts';
import { BenchSession } from '../../harness/run/session.ts';
import { LocalTarget } from '../../harness/targets/local.ts';

/**
 * Threads through the real session on the demo engine (real llama.cpp, tiny model, one short prompt): the default
 * follows this machine's physical cores, an explicit value above them is warned about and lands in the reports,
 * and the reports carry the engine command line that ran.
 */
async function runDemo(threads: number | undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-threads-'));
  writeFileSync(join(dir, 'prompts.json'), JSON.stringify({ name: 'one', prompts: [{ id: 'capital-of-france', text: 'The capital of France is' }] }));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ engine: { kind: 'llama.cpp', model: { tiny: 'coherent' } }, prompts: 'prompts.json', generation: { nPredict: 8, ...(threads ? { threads } : {}) }, throughput: { repetitions: 0 }, reports: { dir: join(dir, 'reports') } }),
  );
  const warnings: string[] = [];
  const log: Logger = { info: () => {}, debug: () => {}, warn: (m) => warnings.push(m) };
  const session = BenchSession.open('threads', { configFile: join(dir, 'config.json'), env: {}, log });
  try {
    await session.execute();
  } finally {
    await session.finish();
  }
  return { record: session.record, warnings, report: (name: string) => readFileSync(join(session.record.reportDir, name), 'utf8') };
}

describe('threads on the real session', () => {
  it('defaults to min(4, physical cores) and records the exact command line', async () => {
    const physical = (await new LocalTarget(tmpdir()).describe()).physicalCores!;
    const { record, warnings, report } = await runDemo(undefined);
    const env = record.environment!;
    expect(env.threads).toBe(Math.min(4, physical));
    expect(env.threadsWarning).toBeUndefined();
    expect(warnings.filter((w) => /threads/.test(w))).toEqual([]);
    const argv = env.engineArgv!;
    expect(argv[argv.indexOf('-t') + 1]).toBe(String(Math.min(4, physical)));
    expect(argv[argv.indexOf('-n') + 1]).toBe('8');
    expect(env.engineArgv!.at(0)).toMatch(/llama-completion$/);
    expect(report('bitnet_coherent_results.txt')).toContain(`Command:  ${env.engineArgv!.join(' ')}`);
  }, 300_000);

  it('keeps an explicit value above the physical cores, warns in the console and in the reports', async () => {
    const physical = (await new LocalTarget(tmpdir()).describe()).physicalCores!;
    const { record, warnings, report } = await runDemo(physical + 1);
    expect(record.environment!.threads).toBe(physical + 1);
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`generation\\.threads = ${physical + 1} exceeds the ${physical} physical core`)));
    expect(record.environment!.threadsWarning).toBe(warnings.find((w) => /exceeds/.test(w)));
    for (const name of ['bitnet_coherent_results.txt', 'summary.md', 'report.html', 'results.csv', 'bitnet_coherent_metrics.json']) expect(report(name), name).toContain('physical core');
  }, 300_000);
});
