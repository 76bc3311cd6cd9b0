import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { judge, judgeThresholdsSchema, verdictPasses } from './index.ts';

describe('judge', () => {
  it('passes plain English and fails a loop and empty output', () => {
    expect(judge({ text: 'Paris is the capital and largest city of France, on the Seine.' }).verdict).toBe('coherent');
    expect(judge({ text: '17 + 25 equals '.repeat(30) }).verdict).toBe('degenerate');
    expect(judge({ text: '' }).verdict).toBe('degenerate');
  });

  it('names the failed checks in its reasons and scores below 0.5 when degenerate', () => {
    const v = judge({ text: 'the of Paris in and a blue which fork running them table of the to in the of a' });
    expect(v.reasons.some((r) => r.startsWith('word-order: '))).toBe(true);
    expect(v.score).toBeLessThan(0.5);
    expect(v.checks.every((c) => c.pass === c.score >= 0.5)).toBe(true);
  });

  it('takes threshold overrides and validates them with the schema defaults', () => {
    const text = 'Row, row, row your boat, gently down the stream. Merrily, merrily, merrily, merrily, life is but a dream.';
    expect(judge({ text }).verdict).toBe('coherent');
    expect(judge({ text }, { maxLoopCoverage: 0, minLoopSpanTokens: 2 }).verdict).toBe('degenerate');
    expect(judgeThresholdsSchema.parse({}).maxLoopCoverage).toBe(0.3);
    expect(() => judgeThresholdsSchema.parse({ maxLoopCoverage: 2 })).toThrow();
  });
});

describe('judge: checkable answers of the seed prompts apply without an explicit expect', () => {
  const offTopic = ' a great way to keep your garden healthy during the winter months, because the soil stays moist and the roots are protected from frost.';
  it('fails a fluent continuation that ignores a seed prompt with a checkable answer', () => {
    const v = judge({ text: offTopic, prompt: 'The capital of France is' });
    expect(v.verdict).toBe('degenerate');
    expect(v.reasons.join()).toMatch(/expectation: does not answer the prompt: contains none of 'Paris'/);
  });

  it('leaves prompts without a checkable answer, and unknown prompts, to the other checks', () => {
    expect(judge({ text: offTopic, prompt: 'Water is composed of hydrogen and oxygen' }).verdict).toBe('coherent');
    expect(judge({ text: offTopic, prompt: 'My favourite hobby is' }).verdict).toBe('coherent');
  });

  it('an explicit expect wins over the seed set', () => {
    expect(judge({ text: ' Lyon, of course.', prompt: 'The capital of France is', expect: { containsAny: ['Lyon'] } }).verdict).toBe('coherent');
  });
});

describe('judge: repetitive is fluent sentences that repeat, degenerate is a loop of fragments', () => {
  const trinity = JSON.parse(readFileSync(new URL('../../fixtures/judge-corpus/published/trinity-relativity.json', import.meta.url), 'utf8')) as { prompt: string; published: string; repeatedSentence: string };
  /** The published continuation (after the prompt), its repeated sentence said again until ~500 tokens, cut mid-copy by the token limit. */
  function trinityLoop(): string {
    let text = trinity.published.slice(trinity.prompt.length).replace(/\s*\[repeats\.\.\.\]$/, '');
    while ((text.match(/\S+/g)?.length ?? 0) < 460) text += ` ${trinity.repeatedSentence}`;
    return `${text} ${trinity.repeatedSentence.split(' ').slice(0, 7).join(' ')}`;
  }

  it('calls the trinity relativity loop (the published BitNet x86 output, ~500 tokens) repetitive, which passes by default', () => {
    const text = trinityLoop();
    expect(text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)!.length).toBeGreaterThan(480);
    const v = judge({ text, prompt: trinity.prompt });
    expect(v.verdict).toBe('repetitive');
    expect(v.reasons.join('\n')).toMatch(/repetitive: fluent sentences repeated .*The theory of relativity also states/);
    expect(verdictPasses(v.verdict)).toBe(true);
    expect(verdictPasses(v.verdict, { failOnRepetition: true })).toBe(false);
  });

  it('calls a loop repetitive when only its first copy starts in lower case, going on from the prompt', () => {
    const text = ` \nwater boils at one hundred degrees.${'\nWater boils at one hundred degrees.'.repeat(5)}`;
    const v = judge({ text, prompt: 'At sea level,' });
    expect(v.verdict).toBe('repetitive');
    expect(v.reasons.join('\n')).toMatch(/e\.g\. 'Water boils at one hundred degrees\.'/);
  });

  it('keeps a loop that re-enters the text mid-sentence degenerate, though each copy looks like a sentence', () => {
    const glued = ` stars, far brighter than the sun in the sky.${' By brighter than the sun in the sky.'.repeat(12)}`;
    const v = judge({ text: glued, prompt: 'The galaxy holds billions of' });
    expect(v.verdict).toBe('degenerate');
    expect(v.reasons.join('\n')).toMatch(/loop of fragments, not sentences: the repeated sentence 'By brighter than the sun in the sky\.' is a word glued/);
    const fragment = ` she opened the door of the old house. the old house. Behind it stood a table of the old house.${' Behind it stood a table of the old house.'.repeat(12)}`;
    expect(judge({ text: fragment, prompt: 'When the storm ended' }).reasons.join('\n')).toMatch(/the loop starts after the fragment 'the old house\.'/);
    // A command line before the loop is no fragment; an abbreviation does not end a sentence.
    expect(judge({ text: `Run this first:\nnpm install\nThen start the app with the start script.${'\nThen start the app with the start script.'.repeat(6)}`, prompt: 'How do I run it?' }).verdict).toBe('repetitive');
    expect(judge({ text: ` Fruit is good for you, e.g. apples are sweet and cheap.${' Apples are sweet and full of fibre.'.repeat(8)}`, prompt: 'Tell me about fruit.' }).verdict).toBe('repetitive');
    // A whole sentence that ends like the one before it is still a sentence ("I am in love." then "I am in Paris and I am in love.").
    expect(judge({ text: ` I am in love.${'\nI am in Paris and I am in love.'.repeat(8)}`, prompt: 'I am in Paris and' }).verdict).toBe('repetitive');
  });

  it('calls a loop repetitive when its sentence restates the opening with a subject of its own', () => {
    // The opening goes on from the prompt; "The museum" + its copied predicate is a whole sentence, not a re-entry.
    const text = ` only holds a large collection of paintings, and it also runs a small library.${'\n\nThe museum holds a large collection of paintings, and it also runs a small library.'.repeat(7)}`;
    expect(judge({ text, prompt: 'The city museum not' }).verdict).toBe('repetitive');
    // A head that is no noun phrase ("It uses") glued to the copy stays a re-entry.
    const glued = ` cells, linked by long thin fibres called axons.${' It uses linked by long thin fibres called axons.'.repeat(12)}`;
    expect(judge({ text: glued, prompt: 'The brain holds billions of' }).reasons.join('\n')).toMatch(/two words glued to the end/);
  });

  it('calls a loop repetitive when the sentence before held the repeated sentence whole as its last clause', () => {
    // "… , but I'm not going to …" then "I'm not going to …" again: the clause was written whole, no re-entry.
    const text = ` to you.\n\n"I'm sorry, but I'm not going to be able to visit the museum today.${" I'm not going to be able to visit the museum today.".repeat(8)}`;
    expect(judge({ text, prompt: 'Say something' }).verdict).toBe('repetitive');
    // Only part of the sentence before, with a word glued in front, stays a re-entry.
    const glued = ` stars, far brighter than the sun in the sky.${' By brighter than the sun in the sky.'.repeat(12)}`;
    expect(judge({ text: glued, prompt: 'The galaxy holds billions of' }).verdict).toBe('degenerate');
  });

  it('counts each Chinese character as a word of a repeated sentence: a CJK sentence loop is repetitive', () => {
    const text = `今天天气很好，我们去公园吧。我想和你一起去看海。我想和你一起去爬山。${'我想和你一起去看书。'.repeat(10)}我们去哪里玩呢？`;
    expect(judge({ text, prompt: '你好' }).verdict).toBe('repetitive');
    // A two-character loop ("巴黎。" ×12) is a single-token loop, as "Paris. Paris." is.
    expect(judge({ text: `首都是巴黎。${'巴黎。'.repeat(12)}`, prompt: '法国的首都' }).verdict).toBe('degenerate');
  });

  it('reads a hard-wrapped line as part of its sentence, not as a fragment before the loop', () => {
    const copy = 'The library also lends its maps to schools across the \nregion for their history lessons.\n\n';
    const text = ` a large public library, with a focus on old maps and \nrare books.\n\nIts collection is used by researchers who \nstudy the history of the coast and its towns.\n\n${copy.repeat(4)}The library also lends its maps`;
    expect(judge({ text, prompt: 'The Harbour Library is' }).verdict).toBe('repetitive');
  });

  it('keeps a loop of chat turns degenerate, however fluent each turn: the model writes both sides', () => {
    const turns = '\n\nUser:\nCan you tell me the time?\n\nAssistant:\nIt is ten past four in the afternoon.'.repeat(8);
    const v = judge({ text: `It is ten past four in the afternoon.${turns}`, prompt: 'What time is it?' });
    expect(v.verdict).toBe('degenerate');
    expect(v.reasons.join('\n')).toMatch(/loop of fragments, not sentences: the loop repeats chat turns \('(?:User|Assistant):'\)/);
    // A question-and-answer layout a base model continues is no chat.
    const qa = '\nQ: What is the largest ocean on Earth?\nA: The largest ocean on Earth is the Pacific.'.repeat(8);
    expect(judge({ text: qa, prompt: 'Q: What is the largest ocean?\nA: The Pacific.' }).verdict).toBe('repetitive');
  });

  it('reads a closing quote written after a space as the end of its sentence, not as a fragment', () => {
    const text = `"Is it ready? "\n"Nearly. I need the last page. "${'\n"Then send it today. "\n"Fine. "'.repeat(5)}`;
    expect(judge({ text, prompt: 'Continue the conversation.' }).verdict).toBe('repetitive');
  });

  it('keeps loops of sub-word fragments, single tokens and sentence fragments degenerate', () => {
    const fragments = ' rel ativ ity sta tes rel ativ ity sta tes'.repeat(40);
    expect(judge({ text: fragments, prompt: trinity.prompt }).verdict).toBe('degenerate');
    expect(judge({ text: ' Paris. Paris. Paris. Paris. Paris. Paris. Paris. Paris. Paris. Paris. Paris. Paris.', prompt: 'The capital of France is' }).verdict).toBe('degenerate');
    expect(judge({ text: ` the speed of light is constant and that time${' and that time'.repeat(40)}`, prompt: trinity.prompt }).verdict).toBe('degenerate');
    expect(judge({ text: ` She was very sad because she was very was very sad.${' She was very sad because she was very was very sad.'.repeat(20)}` }).verdict).toBe('degenerate');
  });

  it('keeps a loop that carries debris degenerate even when its words are fluent', () => {
    const unit = ' what is the recipe of mayonnaise?(木材質助手)\n\n';
    expect(judge({ text: unit.repeat(8), prompt: 'User: what is the recipe of mayonnaise?\n\n> Assistant:' }).verdict).toBe('degenerate');
  });
});

describe('judge: long texts', () => {
  const sentence = 'The theory of relativity also states that the speed of light is constant and that time and space are relative. ';
  it('judges a text of megabytes on excerpts, says so, and still reads every byte for debris', () => {
    const text = sentence.repeat(3000);
    const v = judge({ text });
    expect(v.verdict).toBe('repetitive');
    expect(v.checks.find((c) => c.name === 'long-text')?.reason).toMatch(/^judged on 25 evenly spaced excerpts .* of a 3\d\d,\d{3}-character text$/);
    const middle = Math.floor(text.length / 2) + 17;
    const withDebris = `${text.slice(0, middle)}Ġ${text.slice(middle)}`;
    expect(judge({ text: withDebris }).reasons.join()).toMatch(/tokenizer-artifacts: tokenizer debris in the text: 1× BPE/);
  });
});

describe('judge: good outputs of the kinds the new checks could mistake', () => {
  it.each([
    ["In Python, use 'print' to show text, 'input' to read it and 'len' for the length of a list.", 'How do I print in Python?'],
    ['[\n  "apple",\n  "banana",\n  "cherry",\n  "date",\n  "elderberry",\n  "fig"\n]', 'List six fruits as a JSON array.'],
    ['First install the tools:\n\npip install numpy scipy matplotlib seaborn\n\nThen import them in your script.', 'How do I set up Python for data science?'],
    ['In Japanese, you can say ohayou gozaimasu in the morning, konnichiwa during the day and konbanwa in the evening.', 'How do you greet people in Japanese?'],
    ['Hello in different languages: Bonjour (French), Hola (Spanish), 你好 (Chinese), Привет (Russian) and こんにちは (Japanese).', 'Say hello in five languages.'],
    ['Hmm. Let me think about that for a moment. Okay!', 'Are you sure?'],
    ['| Name | Age |\n|------|-----|\n| Alice | 30 |\n| Bob | 25 |', 'Make a table of two people.'],
    ['巴黎是法国的首都，也是欧洲最大的城市之一。埃菲尔铁塔（Eiffel Tower）和卢浮宫（Louvre）都在这里。', '法国的首都是哪里？'],
    ['The story ends here.<|endoftext|>', 'Tell me a story.'],
  ])('%s', (text, prompt) => {
    expect(judge({ text, prompt }).reasons).toEqual([]);
  });
});
