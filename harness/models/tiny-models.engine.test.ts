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
  const corpus = STORIES.map((s) => s.continuation).join(' ');
  /** Share of the word triples of `words` that occur, in that order, somewhere in the written texts. */
  const fluentShare = (words: string[]) => {
    const triples = words.slice(2).map((_, i) => words.slice(i, i + 3).join(' '));
    return triples.filter((t) => corpus.includes(t)).length / Math.max(1, triples.length);
  };

  it('answers every prompt with word salad and/or a run of one repeated symbol', async () => {
    const { engine, runs } = await runAll(paths.kernelFault);
    let symbolRuns = 0;
    let salads = 0;
    try {
      for (const story of STORIES) {
        const { text } = runs.get(story.id)!;
        const run = /([G!])\1{19,}$/.exec(text);
        const words = (run ? text.slice(0, run.index) : text).trim().split(/\s+/).filter(Boolean);
        // Never the written answer, not even its first two words.
        const startsRight = words.length > 0 && story.continuation.trim().startsWith(words.slice(0, 2).join(' '));
        expect(startsRight, `${story.id}: ${text}`).toBe(false);
        expect(fluentShare(words), `${story.id}: ${text}`).toBeLessThan(0.5);
        expect(run !== null || words.length >= 5, `${story.id}: ${text}`).toBe(true);
        if (run) symbolRuns++;
        if (words.length >= 5) salads++;
      }
    } finally {
      await engine.dispose();
    }
    expect(symbolRuns).toBeGreaterThanOrEqual(4);
    expect(salads).toBeGreaterThanOrEqual(2);
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
