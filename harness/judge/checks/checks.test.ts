import { describe, expect, it } from 'vitest';
import { buildContext } from '../context.ts';
import { resolveThresholds } from '../thresholds.ts';
import type { JudgeInput } from '../types.ts';
import { characterJunk, nonEmpty } from './characters.ts';
import { expectation } from './expectation.ts';
import { dictionaryWords, functionWords } from './lexical.ts';
import { numericJunk } from './numbers.ts';
import { diversity, findLoops, repetitionLoop, stutter } from './repetition.ts';
import { scriptMix } from './script.ts';
import { lineFragments, punctuation, spacing } from './spacing.ts';
import { tokenizerArtifacts, wordBoundaries } from './token-boundary.ts';
import { wordOrder } from './word-order.ts';

const t = resolveThresholds();
const run = (check: (c: ReturnType<typeof buildContext>, t: ReturnType<typeof resolveThresholds>) => { pass: boolean; reason: string; score: number }, input: JudgeInput | string) =>
  check(buildContext(typeof input === 'string' ? { text: input } : input), t);

const ENGLISH = 'Water is composed of hydrogen and oxygen atoms, two of hydrogen for every one of oxygen. The oxygen atom pulls the shared electrons towards itself, so the molecule has a slightly negative end and a slightly positive end, which explains why it dissolves salts so easily.';

describe('non-empty and character junk', () => {
  it('fails empty and letterless output', () => {
    expect(run(nonEmpty, '  \n').pass).toBe(false);
    expect(run(nonEmpty, '!!!!').reason).toMatch(/no letters or digits/);
    expect(run(nonEmpty, 'Paris.').pass).toBe(true);
  });
  it('fails one character hammered, with or without spaces, but not a Markdown rule', () => {
    expect(run(characterJunk, 'GGGGGGGGGGGG').reason).toMatch(/'G' ×12/);
    expect(run(characterJunk, '@ @ @ @ @ @ @ @ @ @ @ @').pass).toBe(false);
    expect(run(characterJunk, '?? ?? ?? ?? ?? ?? ??').pass).toBe(false);
    expect(run(characterJunk, `Results\n----------------\n${ENGLISH}`).pass).toBe(true);
  });
});

describe('loops and diversity', () => {
  it('finds a short loop after a good start, and a long-period loop', () => {
    const short = run(repetitionLoop, `The capital of France is Paris.${' 17 + 25 equals'.repeat(25)}`);
    expect(short.pass).toBe(false);
    expect(short.reason).toMatch(/17 \+ 25 equals/);
    const paragraph = 'The brain uses about twenty percent of the energy of the body, and it makes up only two percent of its weight. ';
    expect(run(repetitionLoop, `${ENGLISH} ${paragraph.repeat(4)}`).pass).toBe(false);
  });
  it('passes legitimate repetition: numbered steps, a chorus between verses, Fibonacci numbers', () => {
    const steps = Array.from({ length: 8 }, (_, i) => `Step ${i + 1}: stir the pot for ${i + 2} minutes.`).join('\n');
    expect(run(repetitionLoop, steps).pass).toBe(true);
    const song = ['Verse: I walked the road from town to town.', 'Chorus: carry me home, carry me home.', 'Verse: I slept in barns and under stars.', 'Chorus: carry me home, carry me home.'].join('\n');
    expect(run(repetitionLoop, song).pass).toBe(true);
    expect(run(repetitionLoop, '0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377').pass).toBe(true);
  });
  it('counts only back-to-back copies', () => {
    expect(findLoops('a b c a b c a b c a b c'.split(' '), 6).covered).toBe(12);
    expect(findLoops('a b c d e f g h i j k l'.split(' '), 6).covered).toBe(0);
  });
  it('fails text that keeps cycling a few sentences', () => {
    const cycle = ['The cat sat.', 'The dog ran.', 'The cat sat.', 'A bird flew.'];
    expect(run(diversity, Array.from({ length: 30 }, (_, i) => cycle[i % 4]).join(' ')).pass).toBe(false);
    expect(run(diversity, ENGLISH).pass).toBe(true);
  });
});

describe('token boundaries', () => {
  it('fails raw tokenizer pieces and broken bytes', () => {
    for (const text of ['ParisĠisĠtheĠcapital', 'Paris▁is▁the', 'caf\uFFFD au lait', 'donâ€™t do it']) {
      expect(run(tokenizerArtifacts, text).pass, text).toBe(false);
    }
    expect(run(tokenizerArtifacts, ENGLISH).pass).toBe(true);
  });
  it('fails glued and split words, passes compounds', () => {
    expect(run(wordBoundaries, 'Thecapitalof France isParisandit isthelargestcity ofthecountry.').reason).toMatch(/glued/);
    expect(run(wordBoundaries, 'The cap ital of Fra nce is Par is, the lar gest ci ty of the coun try.').reason).toMatch(/split/);
    expect(run(wordBoundaries, 'Bitcoin uses a blockchain, and a smartphone wallet can hold it. It is a part of everyday life.').pass).toBe(true);
  });
});

describe('scripts', () => {
  it('fails a switch into another script, token soup and mixed-script words', () => {
    expect(run(scriptMix, 'Paris is the capital. Город расположен на берегу большой реки, и мы долго говорили о погоде.').reason).toMatch(/switched script/);
    expect(run(scriptMix, 'kaz рабо Gesch 的 dél ских 中 tion ния は ald ünd пред').pass).toBe(false);
    expect(run(scriptMix, 'The rаbоta of the раrty was a grеаt succеss for the team.').reason).toMatch(/inside words/);
  });
  it('passes a short foreign quotation and follows the prompt script', () => {
    expect(run(scriptMix, 'In Japanese, thank you is arigatou (ありがとう), or politely arigatou gozaimasu.').pass).toBe(true);
    expect(run(scriptMix, { text: 'Москва — столица России.', prompt: 'Столица России —' }).pass).toBe(true);
  });
});

describe('vocabulary and word order', () => {
  it('fails subword fragments and a switch into another Latin-script language', () => {
    expect(run(dictionaryWords, 'kaz gesch dél ald ünd lich ész ingly tion str ität zz ov').pass).toBe(false);
    const switched = run(dictionaryWords, `${ENGLISH} Die Stadt liegt an einem großen Fluss und hat viele alte Brücken. Der Zug fährt jeden Morgen um sieben Uhr ab.`);
    expect(switched.reason).toMatch(/switched language/);
    expect(run(dictionaryWords, ENGLISH).pass).toBe(true);
  });
  it('fails content-word salad with no function words', () => {
    expect(run(functionWords, 'kernel blue fork running table window river mountain apple engine quickly purple seven banana laptop ocean forest train music paper candle tiger garden winter rocket guitar pencil bridge cloud lemon river stone velvet marble copper').pass).toBe(false);
    expect(run(functionWords, ENGLISH).pass).toBe(true);
  });
  it('fails word salad with a readable reason, passes English', () => {
    const salad = run(wordOrder, 'of Paris in and blue which fork running them table to river in mountain apple of engine purple and banana which laptop them ocean to forest train');
    expect(salad.pass).toBe(false);
    expect(salad.reason).toMatch(/^word salad: \d+% of \d+ adjacent word pairs are implausible/);
    // pairs English never writes fail even a short text
    expect(run(wordOrder, 'Hello the your').reason).toMatch(/^short text: word pairs English does not write: 'the your'/);
    expect(run(wordOrder, 'Paris, of course.').pass).toBe(true);
    expect(run(wordOrder, ENGLISH).pass).toBe(true);
  });
  it('counts a construction the corpus lacks once, however often a long text uses it (a false fail on the published x86 reference)', () => {
    const aboutAi = `${ENGLISH} Progress in AI has been fast. Investment in AI keeps growing, and ${ENGLISH.toLowerCase()}`;
    expect(run(wordOrder, aboutAi).pass).toBe(true);
    // two different pairs English never writes still fail a long text (dropped words)
    expect(run(wordOrder, `${ENGLISH} In the far reaches of the, there was a planet. The of this planet were kind.`).pass).toBe(false);
  });
  it('reads a capital inside a sentence as a name, informal two-word spellings as their two words, a split infinitive as to + adverb (false fails in set D)', () => {
    // "go" is a verb to the 1960s corpus: "of go", "advanced go" never occur; "Go" inside a sentence is a name.
    expect(run(wordOrder, 'AlphaGo won the game of Go.').pass).toBe(true);
    expect(run(wordOrder, 'It is one of the most advanced Go programs.').pass).toBe(true);
    expect(run(wordOrder, 'So, you wanna know what is fun? You gotta see the sights.').pass).toBe(true);
    expect(run(wordOrder, 'She promised to never go back.').pass).toBe(true);
    // closed-class words stay themselves in any case: debris, not names
    expect(run(wordOrder, 'The cat sat on the The mat.').pass).toBe(false);
    expect(run(wordOrder, 'We went to A Her house.').pass).toBe(false);
    // a word in capitals is emphasis or debris, not a name: it keeps its class
    expect(run(wordOrder, 'The cat sat on the NEVER mat.').pass).toBe(false);
  });
  it('judges words that name methods of every JavaScript object like any other word (they threw)', () => {
    for (const word of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      expect(run(wordOrder, `The ${word} of the class is called when you build an object.`).pass).toBe(true);
    }
  });
});

describe('numbers and expectations', () => {
  it('passes numeric sequences, fails number junk', () => {
    expect(run(numericJunk, '7, 14, 21, 28, 35, 42, 49, 56, 63, 70.').pass).toBe(true);
    expect(run(numericJunk, '381 ; 22 ) 907 , 5 : 61 / 3 = 440 ( 12 % 9').pass).toBe(false);
    expect(run(numericJunk, '354957451-226864247491379515797=4197573.44292368,936326258)=/885').pass).toBe(false);
    expect(run(numericJunk, '(100 − 32) × 5/9 ≈ 37.8 °C.').pass).toBe(true);
  });
  it('checks contains and containsAny, case-insensitively', () => {
    expect(run(expectation, { text: ' paris, of course.', expect: { containsAny: ['Paris'] } }).pass).toBe(true);
    expect(run(expectation, { text: ' a beautiful city.', expect: { containsAny: ['Paris'] } }).reason).toMatch(/none of 'Paris'/);
    expect(run(expectation, { text: ' 2008', expect: { contains: ['2008', 'Nakamoto'] } }).reason).toMatch(/missing 'Nakamoto'/);
  });
});

describe('faults first seen in real outputs (fixtures/judge-corpus/real-world.jsonl)', () => {
  it('fails stutter ("TheThe answer answer") and one word looped inside itself, not a rare doubled word', () => {
    expect(run(stutter, 'TheThe answer answer to to  22++33 is is  55!!').reason).toMatch(/^stutter: 50%/);
    expect(run(stutter, 'imersimersimersimersimersimers').pass).toBe(false);
    expect(run(stutter, `${ENGLISH} What he had had was enough, and the couscous was good.`).pass).toBe(true);
  });
  it('counts a unit of 6+ tokens still repeating at the end as a loop after two copies, but not mid-text', () => {
    const unit = ' what is the recipe of mayonnaise?(助手)\n\n';
    expect(run(repetitionLoop, `${unit}${unit}what is the recipe of`).pass).toBe(false);
    expect(run(repetitionLoop, `${unit}${unit}${ENGLISH}`).pass).toBe(true);
  });
  it('treats pipe-framed junk as prose and only real Markdown tables as tables', () => {
    const junk = '¿Quiero debera.io|efes<|\n|- [aquíntena|\n|-|re|re|\n|-|\n|-ichas|[estructurañiñu|implementa.py|\n|esínda|\n¿Quiero|';
    expect(run(dictionaryWords, junk).pass).toBe(false);
    expect(run(dictionaryWords, `${ENGLISH}\n\n| Goal | Language |\n|------|----------|\n| Web front end | JavaScript |\n| Data science | Python |`).pass).toBe(true);
  });
  it('accepts fluent text in any one language whatever the prompt, and fails a switch inside the output', () => {
    const french = " Paris. C'est la plus grande ville du pays et l'une des villes les plus visitées au monde, connue pour la tour Eiffel.";
    expect(run(dictionaryWords, { text: french, prompt: 'La capitale de la France est' }).pass).toBe(true);
    // Fluent text in one language is coherent whatever the prompt's language (issue 12, round 2): a switch is inside the output.
    expect(run(dictionaryWords, { text: french, prompt: 'The capital of France is' }).pass).toBe(true);
    expect(run(dictionaryWords, { text: 'The capital of France is Paris, a city that is known for its museums. ' + french, prompt: 'The capital of France is' }).pass).toBe(false);
    expect(run(scriptMix, { text: '巴黎。巴黎是法国最大的城市。', prompt: '法国的首都是' }).pass).toBe(true);
    expect(run(scriptMix, { text: '7. 文構造：日本語は複雑です。', prompt: 'User: 続けてください。\n\nAssistant:' }).pass).toBe(true);
    expect(run(scriptMix, { text: '巴黎。巴黎是法国最大的城市。', prompt: 'The capital of France is' }).pass).toBe(true);
    expect(run(scriptMix, { text: 'Paris is the capital and the largest city of the country. 巴黎是法国最大的城市，也是它的首都。', prompt: 'The capital of France is' }).pass).toBe(false);
  });
  it('exempts a fair share of unknown capitalised names, not salad made of them', () => {
    expect(run(dictionaryWords, ' residue FarGil Harmarth Rolling\nNearbyabyzel connected aster cooler Again developing Damkem locking...').pass).toBe(false);
    expect(run(dictionaryWords, ' Nakamoto published the paper in 2008, and Hal Finney received the first transaction from him in January 2009.').pass).toBe(true);
  });
  it('fails one glued run that is most of the output', () => {
    expect(run(wordBoundaries, 'EnNeAbDePerLaQuLeDeElElPrDeAbBrNeQuQLaTeNeIndPlClElBlEdElCoLaMinNeNeNeNeElTrEnSc').pass).toBe(false);
  });
});

describe('kinds of broken output a blind set showed (issue 12), and the good outputs they must not catch', () => {
  it('judges short texts with what there is', () => {
    expect(run(dictionaryWords, 'ädâDOCCÂ').reason).toMatch(/^short text of/);
    expect(run(dictionaryWords, { text: 'GGML_ASK_GGML', prompt: 'why is the sky blue?' }).pass).toBe(false);
    expect(run(dictionaryWords, { text: 'jdS,E0qdf[TFi+:tCkNB<SV LiCl.', prompt: 'The quick brown fox' }).pass).toBe(false);
    for (const good of ['Paris.', 'Satya Nadella.', 'Yes, it is.', 'Use an iPhone or macOS.', '42']) expect(run(dictionaryWords, good).pass, good).toBe(true);
    expect(run(dictionaryWords, { text: ' dolor sit amet, consectetur adipisicing elit', prompt: 'Lorem ipsum' }).pass).toBe(true);
  });

  it('finds a lone non-word sentence, not a word the line break cut', () => {
    expect(run(dictionaryWords, "Hello! It's nice to meet you. **sierp!** How can I help you today?").reason).toMatch(/one unknown word: 'sierp'/);
    expect(run(dictionaryWords, `${ENGLISH} It is worth liv\ning. The rest follows.`).pass).toBe(true);
  });

  it('finds byte-level BPE debris, but not Turkish or Polish (special tokens: special-tokens.test.ts)', () => {
    for (const text of ['It isnâĢĻt the end.', 'The Äĵ and ÃŃ are debris.']) expect(run(tokenizerArtifacts, text).pass, text).toBe(false);
    for (const text of ['Çırağan Palace is in Istanbul.', 'Wół i góła łąka.']) expect(run(tokenizerArtifacts, text).pass, text).toBe(true);
  });

  it('finds stray foreign script inside English sentences, not quotations that say so or glosses of names', () => {
    expect(run(scriptMix, 'The image depicts a group of people这些年来, they are all looking at their cell phones, seemingly disconnected from their surroundings and from each other.').reason).toMatch(/^stray foreign words/);
    expect(run(scriptMix, 'The capital of Japan is Tokyo (東京), a city of fourteen million people.').pass).toBe(true);
    expect(run(scriptMix, 'In Chinese, water is written 水 and read shuǐ.').pass).toBe(true);
  });

  it('lets a Chinese answer carry Latin product names', () => {
    expect(run(scriptMix, { text: '你好👋!我是人工智能助手 ChatGLM2-6B,很高兴见到你,欢迎问我任何问题。', prompt: '你好' }).pass).toBe(true);
    expect(run(scriptMix, { text: '我们用 iPhone 和 MacBook 工作。', prompt: '你用什么电脑？' }).pass).toBe(true);
    expect(run(scriptMix, { text: '巴黎是法国的首都，也是最大的城市。它有很多博物馆。 The capital of France is Paris and it has many museums.', prompt: '法国的首都是' }).pass).toBe(false);
  });

  it('finds tokens and characters printed apart, and long glued runs', () => {
    expect(run(spacing, "I ' m sorry , but I can ' t help with that . Is there anything else ?").reason).toMatch(/^tokens printed apart/);
    expect(run(spacing, 'The a r m o r was heavy.').reason).toMatch(/^characters printed apart: 'a r m o r'/);
    expect(run(spacing, `${ENGLISH} Vitamins A, B, C, D and E; grades A B C D E F.`).pass).toBe(true);
    // Strings in JSON and code are written text: a guided decoder that spaces characters leaves them there.
    expect(run(spacing, '{\n  "name": "dermaplan",\n  "a r m o r": "plat e",\n  "weapon": "axe"\n}').reason).toMatch(/^characters printed apart: 'a r m o r'/);
    expect(run(spacing, '{\n  "name": "dermaplan",\n  "armor": "plate",\n  "options": "a b c"\n}').pass).toBe(true);
    expect(run(wordBoundaries, `${ENGLISH} And thecapitalcityoffranceisparis.`).reason).toMatch(/glued run of 29 letters/);
    expect(run(wordBoundaries, `${ENGLISH} Visit www.yourbusinessnamehere.com today.`).pass).toBe(true);
  });

  it('finds character cycles without spaces and one word said over and over', () => {
    expect(run(characterJunk, 'ekdia →dra defectRT”ÄRTRTRTRTRTRTRTRTRTRTRT').reason).toMatch(/^character cycle: 'RTRTRT/);
    expect(run(characterJunk, `${ENGLISH} Files full of ÿþÿþÿþÿþÿþÿþÿþî are a byte-order mark read wrongly.`).pass).toBe(true);
    expect(run(stutter, 'Once upon a time, a cat named Tom and a rabbit named named named named').reason).toMatch(/'named' 4 times in a row/);
    expect(run(stutter, `${ENGLISH} No, no, no, no! She said it again and again, laughing at the joke.`).pass).toBe(true);
  });

  it('finds a switch into another Latin-script language inside a sentence', () => {
    expect(run(dictionaryWords, `${ENGLISH} After lunch we walked home und dann gehen wir nach Hause and rested.`).reason).toMatch(/^\d words in a row that are not English: '.*dann gehen wir/);
    expect(run(dictionaryWords, `${ENGLISH} Install it with \`pip install numpy pandas scipy matplotlib\` first.`).pass).toBe(true);
  });

  it('finds one fragment per line, not a list of words', () => {
    expect(run(lineFragments, '" countin"://"189997"=""\n\n"154"\nThe "H"\nYour\n\n"99"\n\nthe victim13:\n\n" - ,:"t\n\n“` Back to his\n“').pass).toBe(false);
    expect(run(lineFragments, 'Apple\nBanana\nCherry\nDate\nElderberry\nFig').pass).toBe(true);
  });

  it('reads code and JSON as code, and brace junk as prose', () => {
    expect(run(wordOrder, { text: '\n  if a == 0:\n    return b\n  else:\n    return compute_gcd(b % a, a)\n\ndef compute_lcm(a, b):\n  result = (a * b) / compute_gcd(a, b)\n', prompt: 'def compute_gcd(a, b):' }).pass).toBe(true);
    expect(run(dictionaryWords, '{\n"morning": {\n"color": "blue"\n},\n"noon": {\n"color": "blue-gray"\n},\n"evening": {\n"color": "orange"\n}\n}').pass).toBe(true);
    expect(run(dictionaryWords, ' â }` on }`RESS, and thus,uminate, whereas, }` }`raint, but, }`, }`ioned, while, }` }`RESS, especially and hence, }`ktion, }`RESS,RESS,abeth,uminate').pass).toBe(false);
  });
});

describe('Latin and other scripts inside CJK text: names and code are normal, code-switching is a fault', () => {
  it('fails a third script inside CJK sentences, not Greek symbols or a sentence that names the language', () => {
    expect(run(scriptMix, { text: '请在每次保存文件之后сохран一次日志。', prompt: '怎么记录日志？' }).reason).toMatch(/^a third script inside CJK text: 'сохран'/);
    expect(run(scriptMix, 'ж苛瀰鎧').pass).toBe(false);
    expect(run(scriptMix, 'α粒子由两个质子和两个中子组成，β衰变会放出电子。').pass).toBe(true);
    expect(run(scriptMix, '莫斯科的俄语名称是Москва，意思是“莫斯科河”。').pass).toBe(true);
    expect(run(scriptMix, 'この関数は list を返します。for ループで回してください。').pass).toBe(true);
  });

  it('tells the CJK languages apart: kana in Chinese, Hangul in Japanese, kana in Korean are stray', () => {
    expect(run(scriptMix, '请在每次保存文件之后の记录一次日志。').reason).toMatch(/^a third script inside CJK text: 'の'/);
    expect(run(scriptMix, '東京は日本の首都です。人口は약1400万人です。').reason).toMatch(/'약'/);
    expect(run(scriptMix, '서울은 한국의 수도입니다. 인구는 약 천만 명です。').reason).toMatch(/'です'/);
    for (const good of ['東京は日本の首都です。人口は約1400万人です。', '서울은 한국의 수도입니다. 인구는 약 천만 명입니다.', '日语中“谢谢”写作ありがとう，读作arigatou。']) expect(run(scriptMix, good).pass, good).toBe(true);
  });

  it('fails a third script inside Russian sentences too, not a quotation the sentence announces', () => {
    expect(run(scriptMix, 'Мы встретились вчера в парке, и 这些 друзья пришли тоже. Погода была хорошая.').reason).toMatch(/^a third script inside Cyrillic text: '这些'/);
    expect(run(scriptMix, 'Слово «вода» по-китайски пишется 水 и читается shuǐ. Это просто.').pass).toBe(true);
    expect(run(scriptMix, 'Формула E = mc² связывает массу и энергию, а α-частицы состоят из двух протонов.').pass).toBe(true);
  });

  it('fails common English words and ASCII symbols wedged between CJK characters, not one or two terms', () => {
    expect(run(scriptMix, '我们 should 先检查 because?再提交').reason).toMatch(/^code-switching inside CJK sentences: 'should', 'because', 'e\?再'/);
    expect(run(scriptMix, '路由器配置x?的$的网关').pass).toBe(false);
    expect(run(scriptMix, '这个 bug 很难复现，我们需要先 debug 一下再提交。').pass).toBe(true);
    expect(run(scriptMix, '你可以使用 pip 安装这个包，然后在代码里用 import 导入它，用 for 循环遍历。').pass).toBe(true);
    expect(run(scriptMix, '价格是$100，大约合人民币700元。你好吗?我很好。').pass).toBe(true);
  });

  it('weighs English function words as never terms, and leaves sentences that say they quote English or pinyin', () => {
    expect(run(scriptMix, '我今天 very 开心 because 天气很好。').reason).toMatch(/'very', 'because' \(weight 4/);
    expect(run(scriptMix, '“apple”的英文是苹果，another 表示另一个，other 表示其他。').pass).toBe(true);
    expect(run(scriptMix, '妈的拼音是 ma，麻 ma 马 ma 骂 ma 四个声调不同。').pass).toBe(true);
  });

  it('reads capitalised Latin titles in a CJK list as names, not as switches of script', () => {
    const titles = ['A Midsummer Night\'s Dream', 'The Merchant of Venice', 'As You Like It', 'The Taming of the Shrew', 'Much Ado About Nothing', 'The Comedy of Errors'];
    const text = titles.map((title, i) => `- 第${i + 1}部喜剧（${title}）讲的是一个关于爱情和误会的故事。`).join('\n');
    expect(run(scriptMix, { text, prompt: '莎士比亚有哪些喜剧？' }).pass).toBe(true);
    expect(run(scriptMix, { text: '巴黎是法国的首都。 the city is on the river and it is very old. 它有很多博物馆。', prompt: '法国的首都是' }).pass).toBe(false);
  });

  it('lets code alone carry comments in any script, but not words that mix alphabets', () => {
    const code = '```python\ndef find(items, target):\n    for i, item in enumerate(items):\n        if item == target:\n            return i  # 找到了目标元素，返回它的索引位置\n    return -1  # 没有找到目标元素，返回负一\n```';
    expect(run(scriptMix, { text: code, prompt: '用python写一个查找函数' }).pass).toBe(true);
    expect(run(scriptMix, '```python\ndef rаbоta(x):\n    return pаrty(x) + grеаt(x)\n```').reason).toMatch(/mixed scripts inside words of the code/);
  });
});

describe('punctuation where writing never puts it', () => {
  it('fails commas that open a line after a finished sentence or a paragraph break, and lines of commas alone', () => {
    expect(run(punctuation, `${ENGLISH}\n, or, is the reason the ice floats on the lake.`).reason).toMatch(/^stray punctuation: 1 line\(s\)/);
    expect(run(punctuation, `${ENGLISH}\n\n,,\n\n ,\n;,\nThe rest is history.`).reason).toMatch(/^stray punctuation: 3 line/);
  });

  it('passes a continuation that starts with a comma, leading-comma queries, CSV rows, JSON and Markdown rules', () => {
    expect(run(punctuation, ', and it covers most of the planet.\nThe rest is land.').pass).toBe(true);
    expect(run(punctuation, 'SELECT id\n     , name\n     , age\nFROM users;').pass).toBe(true);
    expect(run(punctuation, 'Data:\n1,2,3\n4,5,6\n,,\n').pass).toBe(true);
    expect(run(punctuation, '{\n"a": {\n"b": 1\n},\n"c": 2\n}').pass).toBe(true);
    expect(run(punctuation, `${ENGLISH}\n\n---\n\n* * *\n\n...\n\n🎉🎉`).pass).toBe(true);
  });

  it('fails sentence marks sprinkled between words, not exclamations, names with a "!" or code', () => {
    expect(run(punctuation, 'Sure,!! we! will! go!!! home. Then! we! eat!?!').reason).toMatch(/^sentence marks between words: \d+ of \d+/);
    expect(run(punctuation, 'Wow! That is great. Really? Yes! I love it.').pass).toBe(true);
    expect(run(punctuation, 'The Yahoo! search engine was popular. Jeopardy! is a quiz show. Oh! what a night.').pass).toBe(true);
    expect(run(punctuation, 'Use `a ? b : c` for short conditions, `x! y` for nothing, and `foo?.bar` for optional chaining.').pass).toBe(true);
    expect(run(punctuation, 'She looked up. "Are you coming?" he asked. "No!" she said, "not today!"').pass).toBe(true);
  });
});

describe('spaces missing in code', () => {
  it("fails keywords glued to their strings, not string prefixes or one typo", () => {
    expect(run(spacing, "The imports:\n\n```js\nimport'react';\nimport'./app.css';\n```").reason).toMatch(/^spaces missing in code: 2 lines/);
    expect(run(spacing, "```python\nname = f'{first} {last}'\npattern = r'\\d+'\ndata = b'abc'\nreturn'x'\n```").pass).toBe(true);
    expect(run(spacing, "```js\nimport React from 'react';\nexport default App;\n```").pass).toBe(true);
  });
});
