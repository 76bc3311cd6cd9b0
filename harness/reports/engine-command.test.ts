import { describe, expect, it } from 'vitest';
import { record } from '../../test/support/run-fixtures.ts';
import { buildReportContext, renderConsoleSummary, reportWriters } from './index.ts';
import { commandLineText } from './present.ts';

/** Every report shows the exact engine command line and, when threads exceed the physical cores, says so. */
describe('engine command line and threads warning in the reports', () => {
  const argv = ['/w/BitNet/build/bin/llama-cli', '-m', '/w/m.gguf', '-f', '/w/prompts/capital.txt', '-n', '500', '-b', '1', '-t', '4', '--temp', '0', '--override-kv', 'tokenizer.ggml.pre=str:llama-bpe'];
  const warning = 'generation.threads = 4 exceeds the 2 physical cores of ci: the threads contend for cores';
  const run = record('r1', [{ id: 'capital', text: ' Paris.' }], { machine: { hostname: 'ci', os: 'Linux', arch: 'x86_64', cpuModel: 'EPYC', cores: 2, physicalCores: 2, flags: { avx2: true, avx512: false, neon: false }, memoryBytes: 1 } as never, environment: { threads: 4, threadsWarning: warning, engineArgv: argv } });
  const ctx = buildReportContext(run);

  it('quotes only the arguments that need it', () => {
    expect(commandLineText(['llama-cli', '-p', "it's a test", '--override-kv', 'a.b=str:x'])).toBe(`llama-cli -p 'it'\\''s a test' --override-kv a.b=str:x`);
  });

  it.each(['bitnet_coherent_results.txt', 'bitnet_coherent_metrics.json', 'results.csv', 'summary.md', 'report.html', 'run.json'])('%s', (name) => {
    const text = reportWriters[name]!(ctx);
    expect(text).toContain('--override-kv');
    expect(text).toContain('tokenizer.ggml.pre=str:llama-bpe');
    expect(text).toContain('/w/prompts/capital.txt');
    expect(text).toContain('exceeds the 2 physical cores');
  });

  it('the console summary at the end of the run (and of npm run gate) carries both too', () => {
    const text = renderConsoleSummary(ctx);
    expect(text).toContain(`WARNING: ${warning}`);
    expect(text).toContain(`Command: ${argv.join(' ')}`);
    expect(renderConsoleSummary(buildReportContext(record('r2', [{ id: 'capital', text: ' Paris.' }])))).not.toMatch(/^(Command:|WARNING:)/m);
  });

  it('the text report replaces the settings summary by the command line', () => {
    const text = reportWriters['bitnet_coherent_results.txt']!(ctx);
    expect(text).toContain(`Command:  ${argv.join(' ')}`);
    expect(text).toContain(`WARNING: ${warning}`);
    expect(text).not.toMatch(/^Settings:/m);
  });
});
