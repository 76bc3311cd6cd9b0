import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chunkContinuations, SPACE_MARKER, toPieceText } from './chunking.ts';
import { buildSpmVocabulary, TokenType } from './spm-vocab.ts';
import { STORIES } from './stories.ts';
import { planStories } from './successor-plan.ts';

describe('chunkContinuations', () => {
  it('splits texts into whole-word chunks that rebuild each text and never repeat', () => {
    const texts = [' the cat saw the dog and the cat ran', ' the dog ran'];
    const chunks = chunkContinuations(texts);
    chunks.forEach((c, i) => expect(c.join('')).toBe(toPieceText(texts[i]!)));
    const all = chunks.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(chunks[0]!.slice(0, 4)).toEqual(['▁the', '▁cat', '▁saw', '▁the▁dog']);
  });

  it('says so when a text cannot be split into new chunks', () => {
    expect(() => chunkContinuations([' a b', ' b'])).toThrow(/continuation 1 repeats an earlier continuation/);
  });
});

describe('buildSpmVocabulary', () => {
  const plan = planStories(STORIES);
  const { tokens, types } = plan.vocab;
  const ids = new Map(tokens.map((t, i) => [t, i]));

  it('has the special tokens, all 256 byte tokens, and unique pieces', () => {
    expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    for (let b = 0; b < 256; b++) {
      const id = ids.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
      expect(id).toBeDefined();
      expect(types[id!]).toBe(TokenType.BYTE);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('has the lone space marker, so a space before an unknown character detokenizes as a space', () => {
    expect(ids.has(SPACE_MARKER)).toBe(true);
  });

  // llama.cpp's tokenizer starts from single characters and merges neighbours whose concatenation is a piece.
  it('can reach every multi-character piece by merging two pieces or characters, none ending in the space marker', () => {
    const reachable = (s: string) => ids.has(s) || [...s].length === 1;
    for (const [i, piece] of tokens.entries()) {
      if (types[i] !== TokenType.NORMAL) continue;
      const chars = [...piece];
      if (chars.length === 1) continue;
      expect(piece.endsWith(SPACE_MARKER), piece).toBe(false);
      const splittable = chars.some((_, k) => k > 0 && reachable(chars.slice(0, k).join('')) && reachable(chars.slice(k).join('')));
      expect(splittable, piece).toBe(true);
    }
  });

  it('holds every prompt and every chunk of every continuation as one token', () => {
    for (const [i, story] of STORIES.entries()) {
      const { promptToken, chunkTokens } = plan.stories[i]!;
      expect(tokens[promptToken]).toBe(toPieceText(` ${story.prompt}`));
      expect(chunkTokens.map((id) => tokens[id]).join('')).toBe(toPieceText(story.continuation));
      expect(chunkTokens.length).toBeGreaterThanOrEqual(25);
    }
  });

  it('rejects a phrase that is not in it by name', () => {
    expect(() => buildSpmVocabulary(['▁a▁b']).idOf('▁c')).toThrow(/"▁c" is not in the vocabulary/);
  });
});

describe('demo prompts', () => {
  it('are exactly the prompts the tiny models were written for', async () => {
    const demo = JSON.parse(await readFile(new URL('../../../fixtures/prompts/demo.json', import.meta.url), 'utf8')) as {
      prompts: { id: string; text: string }[];
    };
    expect(demo.prompts.map((p) => [p.id, p.text])).toEqual(STORIES.map((s) => [s.id, s.prompt]));
  });
});
