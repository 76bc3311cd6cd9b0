import { writeGguf } from '../../harness/models/gguf/writer.ts';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchConfigSchema, type GenerationConfig } from '../../harness/config/schema.ts';
import type { PreparedEngine } from '../../harness/engine/engine.ts';
import { BitnetCppEngine } from '../../harness/engine/bitnet-cpp/index.ts';
import { LlamaCppEngine } from '../../harness/engine/llama-cpp/engine.ts';
import { EngineFaultError, HarnessError } from '../../harness/errors.ts';
import { silentLogger } from '../../harness/log.ts';
import { makeTinyModels } from '../../harness/models/make.ts';
import { PhaseRecorder } from '../../harness/run/phases.ts';
import { LocalTarget } from '../../harness/targets/local.ts';

/**
 * Faults of the engine itself, on the real llama.cpp build (unloadable models, a prompt longer than the context)
 * and on stand-in executables where a real one cannot be made to fail on demand (a crash by SIGSEGV, a stall).
 * Each must surface as an EngineFaultError with a short message that names the cause — never as a quality result.
 */
const gen: GenerationConfig = { ...benchConfigSchema.parse({}).generation, nPredict: 16, threads: 1 };
const prompt = { id: 'capital', text: 'The capital of France is' };
let dir: string;
let target: LocalTarget;
let coherentModel: string;

const prepare = (model: string, binDir?: string, mode: 'process' | 'server' = 'process', g = gen): Promise<PreparedEngine> =>
  new LlamaCppEngine({ kind: 'llama.cpp', model, binDir, mode }).prepare({ target, log: silentLogger, phases: new PhaseRecorder(silentLogger), gen: g });

/** What generating `p` with this model/engine throws. */
async function faultOf(engine: PreparedEngine, p = prompt, g = gen): Promise<EngineFaultError> {
  const error = await engine.generate(p, g).then(() => undefined, (e: unknown) => e);
  expect(error, 'generation should have failed').toBeInstanceOf(EngineFaultError);
  return error as EngineFaultError;
}

/** A stand-in llama-completion: `--version` answers like the real one; a generation runs `body`. */
async function fakeEngine(name: string, body: string, version = 'echo "version: 1 (abcdef1)" >&2'): Promise<string> {
  const binDir = join(dir, name);
  await mkdir(binDir, { recursive: true });
  const script = join(binDir, 'llama-completion');
  await writeFile(script, ['#!/bin/sh', `if [ "$1" = --version ]; then ${version}; exit 0; fi`, body, ''].join('\n'));
  await chmod(script, 0o755);
  return binDir;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-engine-faults-'));
  target = new LocalTarget(join(dir, 'work'));
  coherentModel = (await makeTinyModels(join(dir, 'models'))).coherent;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a model that cannot be loaded (real llama.cpp)', () => {
  it('random bytes: not retryable, the message quotes the loader', async () => {
    const model = join(dir, 'random.gguf');
    await writeFile(model, randomBytes(100_000));
    const fault = await faultOf(await prepare(model));
    expect(fault.retryable).toBe(false);
    expect(fault.kind).toBe('infrastructure');
    expect(fault.message).toMatch(/cannot load the model .*random\.gguf/);
    expect(fault.message).toMatch(/magic/);
    expect(fault.hint).toMatch(/corrupt|incomplete/);
  });

  it('a truncated GGUF: not retryable, the message says the file is incomplete', async () => {
    const model = join(dir, 'truncated.gguf');
    await writeFile(model, (await readFile(coherentModel)).subarray(0, 300_000));
    const fault = await faultOf(await prepare(model));
    expect(fault.retryable).toBe(false);
    expect(fault.message).toMatch(/not within the file bounds|corrupted or incomplete/);
  });

  it('a missing model path is a config error naming the field, not an ENOENT stack', async () => {
    const error = await prepare(join(dir, 'no-such-model.gguf')).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).kind).toBe('config');
    expect((error as HarnessError).message).toMatch(/engine\.model .*no-such-model\.gguf does not exist/);
  });
});

describe('a prompt longer than the context (real llama.cpp)', () => {
  it('is not retried and says so in one short line', async () => {
    const fault = await faultOf(await prepare(coherentModel), { id: 'too-long', text: 'word '.repeat(3000) });
    expect(fault.retryable).toBe(false);
    expect(fault.message).toMatch(/prompt is too long \(\d+ tokens, max \d+\)/);
    expect(fault.message.length).toBeLessThan(400);
  });
});

describe('an engine that crashes or stalls (stand-in executables)', () => {
  it('a crash by SIGSEGV is a retryable fault that names the signal', async () => {
    const fault = await faultOf(await prepare(coherentModel, await fakeEngine('segv', 'echo "loading model" >&2; kill -SEGV $$')));
    expect(fault.retryable).toBe(true);
    expect(fault.message).toMatch(/crashed \(killed by SIGSEGV\)/);
  });

  it('a stall behind a wrapper script times out: "timed out after N s", bounded, the child killed too', async () => {
    const childPidFile = join(dir, 'stall-child.pid');
    const engine = await prepare(coherentModel, await fakeEngine('stall', `sleep 300 & echo $! > ${childPidFile}; wait`));
    const fault = await faultOf(engine, prompt, { ...gen, timeoutSeconds: 2 });
    expect(fault.retryable).toBe(true);
    expect(fault.message).toMatch(/timed out after 2 s/);
    expect(fault.message).not.toMatch(/SIGKILL/);
    // the wrapper's child (the sleep) is gone too, not left running for five minutes
    const child = Number(await readFile(childPidFile, 'utf8'));
    expect(child).toBeGreaterThan(0);
    const childGone = async () => {
      const stat = await readFile(`/proc/${child}/stat`, 'utf8').catch(() => undefined);
      return stat === undefined || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
    };
    for (let i = 0; i < 100 && !(await childGone()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const gone = await childGone();
    if (!gone) process.kill(child, 'SIGKILL'); // clean up before failing
    expect(gone, `sleep ${child} still runs after the timeout`).toBe(true);
  }, 60_000);

  it('`--version` that hangs fails the setup with "timed out after 60 s" instead of holding the run', async () => {
    const binDir = await fakeEngine('version-hang', 'exit 0', 'sleep 300');
    const error = await prepare(coherentModel, binDir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toMatch(/--version timed out after 60 s/);
  }, 180_000);

  it('bitnet.cpp\'s `--version` that hangs fails the setup the same way', async () => {
    const checkout = join(dir, 'bitnet-checkout');
    const llamaCli = join(checkout, 'build/bin/llama-cli');
    await mkdir(join(checkout, 'build/bin'), { recursive: true });
    await writeFile(llamaCli, '#!/bin/sh\nsleep 300\n');
    await chmod(llamaCli, 0o755);
    const modelPath = join(dir, 'bitnet-model.gguf');
    // a GGUF (no tensors, no metadata): a model given by path is checked to be a GGUF first
    const gguf = writeGguf({ metadata: [], tensors: [] });
    await writeFile(modelPath, gguf);
    const engine = new BitnetCppEngine(benchConfigSchema.parse({ engine: { kind: 'bitnet.cpp', dir: checkout, modelPath, modelBytes: gguf.length, cpuCheck: 'warn' } }).engine as never);
    const error = await engine.prepare({ target, log: silentLogger, phases: new PhaseRecorder(silentLogger) }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).message).toMatch(/llama-cli --version` timed out after 60 s/);
  }, 180_000);
});

/** The pid of the llama-server serving a model from this test's folder (the folder name is unique to this run). */
async function serverPid(): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('llama-server') && cmdline.includes(dir)) return Number(entry);
  }
  throw new Error('no llama-server of this test is running');
}

describe('server mode (real llama-server)', () => {
  const open: PreparedEngine[] = [];
  afterAll(async () => {
    await Promise.all(open.map((e) => e.close()));
  });
  const server = async () => {
    const engine = await prepare(coherentModel, undefined, 'server');
    open.push(engine);
    return engine;
  };

  it('a model it cannot load fails the start with a non-retryable fault', async () => {
    const model = join(dir, 'random-for-server.gguf');
    await writeFile(model, randomBytes(100_000));
    const error = await prepare(model, undefined, 'server').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(EngineFaultError);
    expect((error as EngineFaultError).retryable).toBe(false);
    expect((error as EngineFaultError).message).toMatch(/exited before listening.*cannot load the model/);
  });

  it('a server that dies is a retryable fault naming the signal, and the next prompt gets a new server', async () => {
    const engine = await server();
    await engine.generate(prompt, gen);
    process.kill(await serverPid(), 'SIGSEGV');
    const fault = await faultOf(engine);
    expect(fault.retryable).toBe(true);
    expect(fault.message).toMatch(/llama-server died .*SIGSEGV/);
    expect((await engine.generate(prompt, gen)).transcript.text.length).toBeGreaterThan(0);
  });

  it('a request past its timeout says "timed out after N s"; the busy server is replaced', async () => {
    const engine = await server();
    const fault = await faultOf(engine, prompt, { ...gen, timeoutSeconds: 0.001 });
    expect(fault.retryable).toBe(true);
    expect(fault.message).toMatch(/request timed out after 0\.001 s/);
    expect((await engine.generate(prompt, gen)).transcript.text.length).toBeGreaterThan(0);
  });

  it('a prompt longer than the context is refused without retry', async () => {
    const fault = await faultOf(await server(), { id: 'too-long', text: 'word '.repeat(3000) });
    expect(fault.retryable).toBe(false);
    expect(fault.message.length).toBeLessThan(400);
  });
});
