import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { benchConfigSchema } from '../harness/config/schema.ts';
import { flavours, generationArgv } from '../harness/engine/command.ts';
import { LlamaCppEngine } from '../harness/engine/llama-cpp/engine.ts';
import { judge } from '../harness/judge/index.ts';
import { silentLogger } from '../harness/log.ts';
import { PhaseRecorder } from '../harness/run/phases.ts';
import { LocalTarget } from '../harness/targets/local.ts';

/**
 * `npm run bench`: the cost of the harness itself and of the two engine modes, on the demo's tiny coherent model
 * (real llama.cpp built from the npm source, `-t 1`). Vitest prints each group's ratio ("1.01x faster than").
 *  - harness overhead: one generation through the harness (prompt file, target exec, perf-print parse, judge)
 *    vs. the bare llama-completion command spawned directly with the same argv. Goal: ≤ 1.03.
 *  - server vs process: one prompt through llama-server (model already loaded) vs. one llama-completion process.
 */
const gen = { ...benchConfigSchema.parse({}).generation, nPredict: 64, threads: 1 };
const prompt = { id: 'once-upon-a-time', text: 'Once upon a time in a small village' };
const target = new LocalTarget(mkdtempSync(join(tmpdir(), 'bench-throughput-')));
const ctx = () => ({ target, log: silentLogger, phases: new PhaseRecorder(silentLogger), gen });
const processEngine = await new LlamaCppEngine({ kind: 'llama.cpp', model: { tiny: 'coherent' }, mode: 'process' }).prepare(ctx());
const loopEngine = await new LlamaCppEngine({ kind: 'llama.cpp', model: { tiny: 'loop' }, mode: 'process' }).prepare(ctx());
const serverEngine = await new LlamaCppEngine({ kind: 'llama.cpp', model: { tiny: 'coherent' }, mode: 'server' }).prepare(ctx());
afterAll(() => serverEngine.close());

const promptFile = join(target.workDir, 'bare-prompt.txt');
writeFileSync(promptFile, prompt.text);
const bareArgv = generationArgv(flavours['llama.cpp'], join(processEngine.info.binDir, flavours['llama.cpp'].generateBinary), processEngine.info.modelPath, promptFile, gen);

// A longer generation: the loop twin never stops early, so it produces exactly nPredict tokens. The harness's cost
// is fixed per generation (~3 ms), so its share shrinks as generations grow; a real BitNet 2B prompt takes minutes.
const longGen = { ...gen, nPredict: 1000 };
const longArgv = generationArgv(flavours['llama.cpp'], join(loopEngine.info.binDir, flavours['llama.cpp'].generateBinary), loopEngine.info.modelPath, promptFile, longGen);

/** The engine command alone: spawn, wait, nothing read. */
function bare(argv = bareArgv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject).on('close', (code) => (code === 0 ? resolve() : reject(new Error(`llama-completion exited ${code}`))));
  });
}

const options = { time: 3000, warmupIterations: 3 };

describe('harness overhead (goal: harness ≤ 1.03 × bare)', () => {
  bench('bare llama-completion', () => bare(), options);
  bench('harness: generate + parse + judge', async () => {
    const g = await processEngine.generate(prompt, gen);
    judge({ text: g.transcript.text, prompt: prompt.text });
  }, options);
});

describe('harness overhead on a 1000-token generation (goal: ≤ 1.03 × bare)', () => {
  bench('bare llama-completion, 1000 tokens', () => bare(longArgv), options);
  bench('harness: generate + parse + judge, 1000 tokens', async () => {
    const g = await loopEngine.generate(prompt, longGen);
    judge({ text: g.transcript.text, prompt: prompt.text });
  }, options);
});

describe('engine mode: one prompt of 64 tokens', () => {
  bench('process mode (llama-completion per prompt)', async () => void (await processEngine.generate(prompt, gen)), options);
  bench('server mode (one llama-server, model loaded once)', async () => void (await serverEngine.generate(prompt, gen)), options);
});
