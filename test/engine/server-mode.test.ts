import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchConfigSchema } from '../../harness/config/schema.ts';
import type { PreparedEngine } from '../../harness/engine/engine.ts';
import { LlamaCppEngine } from '../../harness/engine/llama-cpp/engine.ts';
import { generateViaServer } from '../../harness/engine/server/completion.ts';
import { startServer } from '../../harness/engine/server/server-process.ts';
import { execTransport } from '../../harness/engine/server/transport.ts';
import { HarnessError } from '../../harness/errors.ts';
import { silentLogger } from '../../harness/log.ts';
import { PhaseRecorder } from '../../harness/run/phases.ts';
import { LocalTarget } from '../../harness/targets/local.ts';
import demo from '../../fixtures/prompts/demo.json' with { type: 'json' };

/**
 * Server mode on the real llama.cpp build and the tiny models: one llama-server per engine, prompts as streaming
 * /completion requests. Greedy decoding must give the very same text as one llama-completion per prompt.
 */
const gen = { ...benchConfigSchema.parse({}).generation, nPredict: 64, threads: 1 };
const target = new LocalTarget(mkdtempSync(join(tmpdir(), 'bench-server-')));
const prepare = (tiny: 'coherent' | 'kernel-fault' | 'loop', mode: 'process' | 'server', phases = new PhaseRecorder(silentLogger)) =>
  new LlamaCppEngine({ kind: 'llama.cpp', model: { tiny }, mode }).prepare({ target, log: silentLogger, phases, gen });

describe('llama-server mode', () => {
  const open: PreparedEngine[] = [];
  afterAll(async () => Promise.all(open.map((e) => e.close())));

  it.each(['coherent', 'kernel-fault', 'loop'] as const)('greedy outputs equal process mode on every demo prompt (tiny %s)', async (tiny) => {
    const [process, server] = [await prepare(tiny, 'process'), await prepare(tiny, 'server')];
    open.push(server);
    for (const prompt of demo.prompts) {
      const [a, b] = [await process.generate(prompt, gen), await server.generate(prompt, gen)];
      expect(b.transcript.text, prompt.id).toBe(a.transcript.text);
      expect(b.transcript.endOfText, prompt.id).toBe(a.transcript.endOfText);
      expect(b.transcript.promptEchoed).toBe(true);
    }
  });

  it('loads the model once, in a "load" phase, and reports the engine\'s own counts per request', async () => {
    const phases = new PhaseRecorder(silentLogger);
    const server = await prepare('kernel-fault', 'server', phases);
    open.push(server);
    expect(server.mode).toBe('server');
    expect(phases.steps.filter((s) => s.phase === 'load')).toHaveLength(1);
    const prompt = demo.prompts[0]!;
    const first = await server.generate(prompt, gen, { ignoreEos: true });
    const again = await server.generate(prompt, gen, { ignoreEos: true });
    for (const g of [first, again]) {
      expect(g.timings.evalTokens).toBe(gen.nPredict);
      expect(g.timings.loadMs).toBeNull();
      expect(g.timings.tokensPerSecond).toBeGreaterThan(0);
      // one arrival time per token the engine counted, in order, the first one being the first token's
      expect(g.stream.tokenTimesMs).toHaveLength(g.timings.evalTokens);
      expect(g.stream.firstTokenMs).toBe(g.stream.tokenTimesMs![0]);
      expect([...g.stream.tokenTimesMs!].sort((x, y) => x - y)).toEqual(g.stream.tokenTimesMs);
    }
    // cache_prompt: false — the repeat evaluates the whole prompt again instead of reusing the cached one
    expect(again.timings.promptTokens).toBe(first.timings.promptTokens);
    expect(first.timings.promptTokens).toBeGreaterThan(0);
  });

  describe('through a client on the target (the SSH path), run here against the local target', () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      const engine = await prepare('coherent', 'process');
      server = await startServer(target, [join(engine.info.binDir, 'llama-server'), '-m', engine.info.modelPath, '--host', '127.0.0.1', '--port', '0', '-np', '1', '-t', '1', '-b', '2', '-ub', '1'], { log: silentLogger });
    });
    afterAll(() => server?.stop());

    it.each(['curl', 'python3'] as const)('%s streams the same text and counts as fetch', async (client) => {
      const prompt = demo.prompts[3]!;
      const viaFetch = await generateViaServer(server, prompt, gen);
      const viaClient = await generateViaServer({ ...server, transport: await execTransport(target, server.port, client) }, prompt, gen);
      expect(viaClient.transcript.text).toBe(viaFetch.transcript.text);
      expect(viaClient.timings.evalTokens).toBe(viaFetch.timings.evalTokens);
      expect(viaClient.stream.tokenTimesMs).toHaveLength(viaClient.timings.evalTokens);
    });
  });

  it('a server that cannot start says why, with its last log lines', async () => {
    const engine = await prepare('coherent', 'process');
    const failing = startServer(target, [join(engine.info.binDir, 'llama-server'), '-m', '/nonexistent/model.gguf', '--host', '127.0.0.1', '--port', '0'], { log: silentLogger });
    await expect(failing).rejects.toThrow(HarnessError);
    await expect(failing).rejects.toThrow(/exited before listening.*(model|load|nonexistent)/i);
  });
});
