import { describe, expect, it } from 'vitest';
import { buildContext } from '../context.ts';
import { judge } from '../index.ts';
import { rareTrigrams } from '../language/letter-model.ts';
import { resolveThresholds } from '../thresholds.ts';
import type { JudgeInput } from '../types.ts';
import { dictionaryWords } from './lexical.ts';
import { wordBoundaries } from './token-boundary.ts';

/** Words and languages (issue 12, round 3): invented words, technical English, answers in other languages. */
const t = resolveThresholds();
const run = (check: typeof dictionaryWords, input: JudgeInput | string) => check(buildContext(typeof input === 'string' ? { text: input } : input), t);

describe('invented and glued words (letter trigrams no English word has)', () => {
  it('knows which letter sequences English words have', () => {
    expect(rareTrigrams('withjyoursmectets')).toEqual(expect.arrayContaining(['thj', 'hjy']));
    expect(rareTrigrams('photosynthesis')).toEqual([]);
    expect(rareTrigrams('café')).toEqual([]);
  });
  it('fails one invented word inside a fluent sentence', () => {
    const r = run(dictionaryWords, 'So we deliberately did not stuff it withjyoursmectets, your history, and your whole life.');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/invented or glued word.*withjyoursmectets.*'hjy'/);
  });
  it('fails one invented word in a short answer', () => {
    expect(run(dictionaryWords, 'Sure, how can I helpjyoursmectets you?').pass).toBe(false);
  });
  it('fails a short text of oddly spelt non-words', () => {
    const r = run(dictionaryWords, 'ottokojirache destiracles tu');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/short text/);
  });
  it('judges each piece of a run glued from case flips and digits, even capitalised, not CamelCase names', () => {
    const r = run(dictionaryWords, 'She said it all the days in the world-Europae4Ugqpg0oIuPzDK, to say nothing of the rest of the year.');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/Ugqpg/);
    expect(run(dictionaryWords, 'Wrap each row in a ListTile widget, and use SQLAlchemy or the iPhone15Pro profile for the tests.').pass).toBe(true);
  });
  it('leaves short lower-case technical names alone, whatever their letters', () => {
    for (const name of ['gguf', 'mkdir', 'mysql', 'xgboost', 'softmax', 'ffmpeg', 'rmsnorm']) {
      expect(run(dictionaryWords, `To build it, install ${name} first, then run the script again and check that the output looks right.`).pass, name).toBe(true);
    }
  });
  it('leaves a transliteration alone when the prompt asks for that language', () => {
    expect(run(dictionaryWords, { prompt: 'Say thanks in Japanese.', text: 'Arigatou gozaimasu.' }).pass).toBe(true);
    expect(run(dictionaryWords, { prompt: 'Say thanks.', text: 'Arigatou gozaimasu.' }).pass).toBe(false);
  });
  it('fails keyboard mash in any case, even a cut last word, but not names from other languages', () => {
    expect(run(dictionaryWords, 'Xqzt').pass).toBe(false);
    expect(run(dictionaryWords, 'The answer is Hjkqw.').reason).toMatch(/Hjkqw/);
    for (const text of ['Qwen', 'Xbox', 'Nguyen', 'The answer is Mkhitaryan', 'They met in Llwyd.']) expect(run(dictionaryWords, text).pass, text).toBe(true);
  });
  it('leaves names, acronyms, code spans, addresses, emphasis and quoted languages alone', () => {
    for (const text of [
      'Tongyi Qwen is a family of language models that the team at Alibaba trained, and it even runs on an Xbox.',
      'Pipe the file list through `xargs` to run grep on each file.',
      'The docs live at https://example.com/xkcdqz and the code in src/hjyq/main.ts.',
      'That was sooooo good, thank you for the help with the recipe.',
      'In Japanese, good morning is ohayou gozaimasu, and people say it until noon.',
    ]) expect(run(dictionaryWords, text).pass, text).toBe(true);
  });
});

describe('a switch of language is told from technical English', () => {
  it('passes a technical sentence that lists English nouns with few function words', () => {
    const text = 'Natural Language Processing (NLP) refers to techniques for understanding natural language. NLP is widely applied across various fields including machine translation, question answering systems, automatic summarization, sentiment analysis, etc., which can greatly improve efficiency.';
    expect(run(dictionaryWords, text).pass).toBe(true);
  });
  it('still fails letter junk whose single letters are dictionary entries', () => {
    expect(run(dictionaryWords, 'upported D F;\n\n D R P23D323D4 PP\nD3D3DDD').pass).toBe(false);
  });
});

describe('answers in another language', () => {
  it('passes a short translation whose function words are another language\'s ("quand", "étaient")', () => {
    expect(judge({ prompt: 'Oh, ICQ! that\'s when dinosaurs were?', text: ' Oh, ICQ ! c’est quand les dinosaures étaient ? ' }).verdict).toBe('coherent');
    expect(judge({ prompt: 'Where is the station?', text: 'Dónde está la estación? Está también cerca del centro.' }).verdict).toBe('coherent');
  });
  it('passes a short answer in the language the prompt asks for, with one stop word of it', () => {
    expect(judge({ prompt: 'Translate to Dutch: The weather is nice today.', text: 'Het weer is vandaag mooi.' }).verdict).toBe('coherent');
    expect(judge({ prompt: 'Translate to Italian: Where is the train station?', text: "Dov'è la stazione ferroviaria?" }).verdict).toBe('coherent');
  });
  it('passes a one-sentence translation longer than ten words (issue 12, round 5)', () => {
    const prompt = 'Translate the English text to Italian.\nText: Sometimes I have believed as many as six impossible things before breakfast, and then some.\nTranslation:\n';
    expect(judge({ prompt, text: 'A volte ho creduto fino a sei cose impossibili prima di colazione, e anche qualcuna in più.' }).verdict).toBe('coherent');
  });
  it('counts "a" for neither English nor Italian, Spanish, Portuguese (it is a function word of each)', () => {
    expect(judge({ text: 'A volte ho creduto a sei cose impossibili prima di colazione.' }).verdict).toBe('coherent');
  });
  it('passes a transliterated foreign word in English (no English word at either end), not glue', () => {
    expect(run(dictionaryWords, 'Bibimbap is rice topped with vegetables, beef, a fried egg and gochujang chili paste.').pass).toBe(true);
  });
  it('does not take words split into fragments for another language', () => {
    expect(judge({ text: ' ha s be co me a pa rt of ev ery day li fe . Ma ny com pa nies no w us e ma ch ine le ar ning to im pr ove th eir pro du cts' }).verdict).toBe('degenerate');
  });
});

describe('technical vocabulary', () => {
  it('reads CamelCase class and function names as names, not glued words', () => {
    expect(run(wordBoundaries, 'You can load Qwen2VLForConditionalGeneration with the same code path, then call getElementById in the page script.').pass).toBe(true);
  });
  it('reads one-word items of an enumeration in an English sentence as names (libraries in lower case)', () => {
    expect(run(dictionaryWords, 'Popular choices include numpy, pandas, matplotlib, seaborn, scikit-learn, xgboost, lightgbm, statsmodels and pytorch.').pass).toBe(true);
  });
  it('but not a bare comma-separated run of non-words', () => {
    expect(run(dictionaryWords, 'ottokojirache, destiracles, fjqwhxe, plorbix and trundlewhap.').pass).toBe(false);
  });
  it('still finds a glued sentence in capitals and two-letter scraps', () => {
    expect(run(wordBoundaries, 'The capital of France is Paris.ItIsTheLargestCityInTheCountryAndHasManyMuseums.').pass).toBe(false);
    expect(run(wordBoundaries, 'EnNeAbDePerLaQuLeDeElElPrDeAbBrNeQuQLaTeNeIndPlClElBlEdElCoLaMinNeNeNeNeElTrEnSc').pass).toBe(false);
  });
});

describe('a translation given whole inside an English answer', () => {
  const french = 'La ville est connue pour ses musées et ses jardins. Chaque année, des millions de visiteurs viennent voir ses monuments, se promener le long du fleuve et goûter sa cuisine. La vieille ville a des rues étroites, de petites boutiques et des cafés où les gens restent assis pendant des heures et parlent d’art, de politique et de la vie.';
  it('passes a French paragraph an English answer says it translates', () => {
    const text = `Here is the translation of your paragraph into French, in a natural and slightly formal style.\n\n${french}\n\nLet me know if you would like a more informal version.`;
    expect(judge({ prompt: 'Translate this paragraph into French: The city is known for its museums and gardens.', text }).verdict).toBe('coherent');
  });
  it('fails the same paragraph when nothing asked for or announced another language', () => {
    expect(judge({ text: `The city is known for its museums and gardens, and millions of people visit it every year.\n\n${french}` }).verdict).toBe('degenerate');
  });
});

describe('words the lexicon must not accept (issue 12, round 4)', () => {
  it("accepts an apostrophe only before an English clitic or after an elision: 'It’saks' is a corrupted word", async () => {
    const { isKnownWord } = await import('../language/lexicon.ts');
    for (const w of ["it's", 'It’s', "they're", "can't", "I'm", "we'll", "you'd", "I've", "d'Orsay", "O'Brien", "y'all", "l'étude"]) expect(isKnownWord(w), w).toBe(true);
    for (const w of ['It’saks', "The'gc", "she'she'i", "import'package"]) expect(isKnownWord(w), w).toBe(false);
  });
  it('finds glue of eight letters and glue that starts with an -ly adverb; compounds of nouns stay words', () => {
    const r = run(wordBoundaries, "That thingwas older than my aunt from Quebec, which is saying something, right? (nervouslychuckles once more) Anyway, that was the oldest car I've ever seen.");
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/'thingwas', 'nervouslychuckles'/);
    expect(run(wordBoundaries, 'The toothbrush and the blockchain sat on the bookshelf near the doorknob and the headphones, quietly waiting for the weekend.').pass).toBe(true);
  });
});

describe('markup is not words (issue 12, round 5)', () => {
  it('reads no word out of HTML formatting tags and entities', () => {
    const ctx = buildContext({ text: 'Natural Language Processing (NLP) is a subfield of computer science.<br/><br/>It has <b>many</b> uses:<ul><li>translation</li></ul>Tom&nbsp;&amp;&nbsp;Jerry &#39;say&#39; hi.<p class="x">Bye.</p>' });
    const words = ctx.proseWords.map((w) => w.text);
    for (const tag of ['br', 'b', 'ul', 'li', 'nbsp', 'amp', 'p', 'class']) expect(words).not.toContain(tag);
    expect(words).toEqual(expect.arrayContaining(['many', 'translation', 'Tom', 'Jerry', 'say', 'Bye']));
  });
  it('passes a bilingual answer whose halves are joined by <br/> tags', () => {
    const r = run(dictionaryWords, { prompt: '先用中文介绍一下什么是自然语言处理，然后翻译成英语。', text: '中文： 自然语言处理是计算机科学的一个分支。<br/><br/>英文： Natural Language Processing is a subfield of computer science.<br/>' });
    expect(r.reason).not.toMatch(/'br'/);
  });
  it('leaves tokenizer tokens that look like tags (<s>, <unk>) in the text for the special-token check', () => {
    const ctx = buildContext({ text: 'Hello there, my friend.<s> How are you doing on this fine morning, and what shall we do today?' });
    expect(ctx.text).toContain('<s>');
    expect(ctx.proseText.join(' ')).toContain('<s>');
  });
});

describe('a stray foreign word standing as a sentence with numbers (issue 12, round 5)', () => {
  it('fails a sentence that is one unknown lower-case word and numbers', () => {
    const r = run(dictionaryWords, 'The bridge was finished in 1932 and opened a year later. kowalskiego 1931. It carried trains and cars across the river for many years after that.');
    expect(r.pass).toBe(false);
    expect(r.reason).toMatch(/one unknown word.*kowalskiego/);
  });
  it('passes sentences of numbers, versions and dates beside English words', () => {
    expect(run(dictionaryWords, 'The first release was version 2.1 in 2019. Then came 2.2. Updates followed 3 times. It is still maintained today by a small team of volunteers.').pass).toBe(true);
    expect(run(dictionaryWords, 'The script was tested with Python 3.11 on Linux. numpy 1.26. It also runs on macOS with the same versions of every library.').pass).toBe(true);
  });
});
