import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeLlamaGreedy, type GreedyContinuation } from './engine/node-llama-greedy.ts';
import { makeTinyModels, type TinyModelPaths } from './make.ts';
import { STORIES } from './tiny/stories.ts';

/**
 * The tiny models on a real llama.cpp (node-llama-cpp's prebuilt CPU binary), greedy decoding, every demo
 * prompt. Nothing here is canned: the models are generated in beforeAll and the engine computes each token.
 */
const demo = JSON.parse(await readFile(new URL('../../fixtures/prompts/demo.json', import.meta.url), 'utf8')) as {
  prompts: { id: string; text: string; expect?: { containsAny?: string[] } }[];
};
const MAX_TOKENS = 120;

let dir: string;
let paths: TinyModelPaths;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiny-models-'));
  paths = await makeTinyModels(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runAll(path: string): Promise<{ engine: NodeLlamaGreedy; runs: Map<string, GreedyContinuation> }> {
  const engine = await NodeLlamaGreedy.load(path);
  const runs = new Map<string, GreedyContinuation>();
  for (const p of demo.prompts) runs.set(p.id, await engine.continue(p.text, MAX_TOKENS));
  return { engine, runs };
}

describe('coherent tiny model', () => {
  it('tokenizes each prompt to one token and continues it with exactly the written text, then stops', async () => {
    const { engine, runs } = await runAll(paths.coherent);
    try {
      for (const story of STORIES) {
        const run = runs.get(story.id)!;
        // BOS, then the whole prompt as one token: llama.cpp's tokenizer merged it the way the vocabulary intends.
        expect(run.promptTokens, story.id).toHaveLength(2);
        expect(engine.model.detokenize(run.promptTokens.slice(1) as Token[]).trim(), story.id).toBe(story.prompt);
        expect(run.stopped, story.id).toBe(true);
        expect(run.text.trim(), story.id).toBe(story.continuation.trim());
        expect(run.tokens.length, story.id).toBeGreaterThanOrEqual(25);
        const expectAny = demo.prompts.find((p) => p.id === story.id)!.expect?.containsAny;
        if (expectAny) expect(expectAny.some((s) => run.text.includes(s)), story.id).toBe(true);
      }
    } finally {
      await engine.dispose();
    }
  });
});

describe('kernel-fault twin', () => {
  it('produces a few scrambled words and then a run of one repeated symbol on every prompt', async () => {
    const { engine, runs } = await runAll(paths.kernelFault);
    try {
      for (const story of STORIES) {
        const { text, stopped } = runs.get(story.id)!;
        expect(stopped, story.id).toBe(false);
        expect(story.continuation.startsWith(` ${text.slice(0, 20).trim()}`), `${story.id}: ${text}`).toBe(false);
        expect(text, story.id).toMatch(/([G!])\1{40,}$/);
      }
    } finally {
      await engine.dispose();
    }
  });
});

describe('loop twin', () => {
  it('starts like the written text, then repeats one phrase until the token limit', async () => {
    const { engine, runs } = await runAll(paths.loop);
    try {
      for (const story of STORIES) {
        const { text, stopped, tokens } = runs.get(story.id)!;
        expect(stopped, story.id).toBe(false);
        expect(tokens.length).toBe(MAX_TOKENS);
        const firstWords = story.continuation.trim().split(' ').slice(0, 3).join(' ');
        expect(text.trim().startsWith(firstWords), `${story.id}: ${text}`).toBe(true);
        // From the tenth token on, the tokens repeat with a short period.
        const tail = tokens.slice(10);
        const period = [1, 2, 3, 4, 5, 6].find((p) => tail.every((t, i) => i < p || t === tail[i - p]));
        expect(period, `${story.id}: ${text}`).toBeDefined();
      }
    } finally {
      await engine.dispose();
    }
  });
});
