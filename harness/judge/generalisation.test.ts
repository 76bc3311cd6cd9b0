import { describe, expect, it } from 'vitest';
import { judge } from './index.ts';
import { expectedLanguage } from './language/prompt-language.ts';

/**
 * The classes of miss that blind sets A and B showed (issue 12, round 2), each with examples written here — not
 * copies of set samples — on both sides of the line.
 */
const verdict = (text: string, prompt?: string) => judge({ text, prompt }).verdict;

describe('language: fluent text in any one language passes; a switch inside the output fails', () => {
  it('accepts an answer in another language or script than the prompt', () => {
    expect(verdict('Het weer in Amsterdam is vandaag zonnig en warm, maar morgen wordt er regen verwacht in het hele land.', 'What is the weather like?')).toBe('coherent');
    expect(verdict('Die Katze schläft auf dem Sofa, weil es dort warm ist und die Sonne durch das Fenster scheint.')).toBe('coherent');
    expect(verdict('我很好，谢谢你的关心。', 'How are you today?')).toBe('coherent');
    expect(verdict('Ja, das ist richtig.', 'Is Berlin the capital of Germany?')).toBe('coherent');
    expect(verdict('The committee approved the new budget on Monday and said that the school would open in September.', '请翻译成英文：委员会周一批准了新预算。')).toBe('coherent');
  });
  it('still fails a switch into another language or script inside the output', () => {
    expect(verdict('The committee approved the new budget on Monday. Die Katze schläft auf dem Sofa, weil es dort warm ist und die Sonne durch das Fenster scheint.', 'Write the news.')).toBe('degenerate');
    expect(verdict('The museum is open every day of the week, y es una ciudad muy bonita con muchos parques y jardines.', 'Tell me about the museum')).toBe('degenerate');
    expect(verdict('El museo está abierto todos los días de la semana y tiene muchos cuadros de pintores famosos.', 'Tell me about the museum')).toBe('coherent');
    expect(verdict('The committee approved the new budget on Monday and the school will open. 委员会周一批准了新预算，学校将在九月开学，家长们都很高兴。', 'Write the news.')).toBe('degenerate');
  });
  it('fails an English clause that switches into another script, however small its share', () => {
    expect(judge({ text: 'The museum is open every day, 它有很多著名画家的作品，每年都有几百万游客来这里参观，门票也很便宜。', prompt: 'Tell me about the museum' }).reasons.join(' ')).toMatch(/English clause/);
    expect(verdict('你可以用Visual Studio Code来写代码，它是免费的，也支持很多插件。', '用什么编辑器写代码？')).toBe('coherent');
    expect(verdict('我最喜欢的电影是《The Shawshank Redemption of a Man》，因为它讲的是希望和友谊。', '你最喜欢什么电影？')).toBe('coherent');
  });
  it('does not mistake letter noise with a few foreign function words for another language', () => {
    expect(expectedLanguage(undefined, 'tse en ro e l a de nu s et o i la e pr sn el u t en ke o a de r').english).toBe(true);
    expect(expectedLanguage(undefined, 'Het weer is vandaag zonnig en warm, maar morgen wordt er regen verwacht.').english).toBe(false);
  });
});

describe('CJK text with Latin names, terms and code', () => {
  it('accepts Latin terms glued to CJK characters and code introduced in Chinese', () => {
    expect(verdict('可以。这台电脑支持HDMI或DisplayPort接口，也可以用USB-C连接显示器。', '这台电脑能接显示器吗？')).toBe('coherent');
    expect(verdict('下面是一个JavaScript函数：\nfunction add(a, b) {\n  return a + b;\n}\nconst total = add(2, 3);', '写一个加法函数')).toBe('coherent');
  });
});

describe('drawn-out words in dialogue are spelling, a hammered letter is junk', () => {
  it('accepts one shouted word and fails a letter run standing alone', () => {
    expect(verdict('Tom: Where are you going?\nAnna: Home.\nTom: NOOOOOOOOOOO! Come back, please.')).toBe('coherent');
    expect(verdict('Tom: Where are you going? GGGGGGGGGGGG Anna: Home.')).toBe('degenerate');
  });
});

describe('a greedy loop that begins inside the sentence of the prompt is repetitive', () => {
  it('finds the repeated sentence at the end of the continued first one', () => {
    const text = ', and I hope I will always have time to read a good book. I hope I will always have time to read a good book.\n\nI hope I will always';
    expect(verdict(text, 'I like to read books')).toBe('repetitive');
    expect(verdict(', and I hope I will always have time to read a good book and time to read a good book and time to read a good', 'I like to read books')).toBe('degenerate');
  });
});

describe('dropped words: pairs English never writes, a sentence start included', () => {
  it('fails a story with its nouns dropped and passes it whole', () => {
    expect(verdict('Long ago, in a village near the, there lived an old baker. The of the village loved his bread, and every morning they waited at his door.')).toBe('degenerate');
    expect(verdict('Long ago, in a village near the sea, there lived an old baker. The people of the village loved his bread, and every morning they waited at his door.')).toBe('coherent');
    expect(verdict('## 1. Python\n\nPython is easy to read. Divide the work into small steps: 2x = 8. Divide both sides by 2.')).toBe('coherent');
  });
});

describe('a fluent start collapsing into looping fragments', () => {
  const start = 'The old harbour is the heart of the town. Fishing boats still leave before dawn, and the market on the quay sells their catch by nine. Visitors come for the seafood, the narrow streets and the lighthouse, which has guided ships since 1850. ';
  const more = 'In summer the town holds a festival with music on the beach, and in winter the storms bring waves high enough to cover the pier. Most families have lived here for generations, and many of the children still learn to sail before they can ride a bicycle.';
  it('fails a tail of repeated fragments confined to the last window', () => {
    const collapse = 'It is a town, famous for its fish, famous for its, famous for its, the harbour, famous for, famous for its, famous for, the town, famous for its, famous for, the harbour, famous for its, famous for, famous for its, the town, famous for, famous for its, the harbour, famous for its, famous for, famous for its, the town, famous for, famous for its, famous for, famous for its, the harbour, famous for, famous for its';
    expect(judge({ text: `${start}${more} ${collapse}` }).reasons.join(' ')).toMatch(/^windows: window 3 of 3/);
  });
  it('passes the same start followed by more prose', () => {
    expect(verdict(start + more)).toBe('coherent');
  });
});

describe('misspelt rambling: words one edit from English ones', () => {
  it('fails a text with several misspelt words and passes one with names', () => {
    const misspelt = 'Hello! I am an Artifical Inteligence, and my abilty to answer is limted, but I will try my best to help you today with any question you have.';
    expect(judge({ text: misspelt }).reasons.join(' ')).toMatch(/misspelt words/);
    expect(verdict('Marco and Lucia walked to the old market in Verona, where Giulia and Bruno sold fresh bread, olives and cheese every Saturday morning before the summer rains began.')).toBe('coherent');
    expect(verdict('The dog Shoggy ran to the river. Shoggy barked at the ducks, and then Shoggy swam back to the shore, wet and happy, with a stick in his mouth.')).toBe('coherent');
  });
});

describe('misspelt words: jargon one edit from English stays below the line', () => {
  it('passes a technical answer with a couple of jargon words', () => {
    const text = 'To deploy the model, start the backend with the default params and point the web page at its address. The server loads the weights once, keeps them in memory and answers each request in a few milliseconds, so the page feels instant even on a small machine. Logs are written to a file next to the binary, and a health check tells you when the service is ready.';
    expect(verdict(text)).toBe('coherent');
  });
});

describe('garbled code: brackets closing an opener of another kind', () => {
  it('fails code whose brackets close the wrong kind and passes nested, cut-off or continued code', () => {
    expect(judge({ text: '  let box = {\n    size: (width + [margin},\n    label: (title]\n  };', prompt: 'Write a JavaScript object' }).reasons.join(' ')).toMatch(/garbled brackets/);
    expect(verdict('  const pattern = /[(]/;\n  const pairs = [[1, 2], [3, (4 + 5)]];\n  if (check(pairs[0])) {\n    print("a ] inside a string");\n  }\n}', 'function f() {')).toBe('coherent');
    expect(verdict('def area(shape):\n    if shape["kind"] == "circle":\n        return 3.14159 * (shape["r"] ** 2', 'Write a Python function')).toBe('coherent');
  });
});
