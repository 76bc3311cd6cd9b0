import type { JudgeContext } from '../context.ts';
import { isKnownWord } from '../language/lexicon.ts';
import { isFrequentWord } from '../language/pair-model.ts';
import { lettersPerWord, scriptWeights } from '../language/prompt-language.ts';
import { scriptOf } from '../language/scripts.ts';
import type { JudgeThresholds } from '../thresholds.ts';
import type { CheckResult } from '../types.ts';
import { pct, quote, result, scoreAtMost } from './score.ts';

/** A Latin term weighs as scriptWeights weighs its letters. */
const LATIN_LETTERS_PER_WORD = lettersPerWord('a', 'Latin');

/**
 * Word-like runs of one script: CJK writes no spaces, so "用iPhone拍" is three runs, not one mixed word. Letters
 * of two alphabets inside one run ("рабоtа") stay one run (a Latin word glued to CJK, "USB或type", does not), and count as a mixed-script word.
 */
function scriptRuns(text: string): string[] {
  return text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー])[\p{L}\p{M}])+/gu) ?? [];
}

function scriptsOfWord(word: string): Set<string> {
  const found = new Set<string>();
  for (const c of word) { const s = scriptOf(c); if (s) found.add(s); }
  return found;
}

/** Words that say a sentence is about another language or script, so a word in it may be quoted on purpose. */
export const LANGUAGE_CUE = /\b(?:languages?|hello|chinese|mandarin|cantonese|japanese|korean|russian|greek|arabic|hebrew|hindi|sanskrit|thai|ukrainian|persian|kanji|kana|hiragana|katakana|hanzi|hangul|cyrillic|characters?|word|words|means?|meaning|called|named|pronounced|written|writes?|spelled|spelt|translat\w*|say|says|said|symbol|script|letters?|phrase|term|greeting|name)\b/i;

/**
 * Another script inside an English sentence ("a group of people这些年来人们的…, they are all looking"): a model
 * slipping into another language for a few words. Quotations are fine when the sentence says so (a language, "means",
 * "called" …) or when the foreign word glosses a capitalised name in parentheses ("Tokyo (東京)").
 */
function strayForeignRuns(ctx: JudgeContext): string[] {
  const stray: string[] = [];
  for (const line of ctx.proseText) {
    for (const sentence of line.split(/(?<=[.!?。！？])\s+/)) {
      const runs = [...sentence.matchAll(/[^\p{Script=Latin}\s\d\p{P}\p{S}]+/gu)].filter((m) => /\p{L}/u.test(m[0]) && ![...scriptsOfWord(m[0])].every((s) => ctx.language.scripts.has(s)));
      if (!runs.length || LANGUAGE_CUE.test(sentence)) continue;
      for (const run of runs) {
        const before = sentence.slice(0, run.index);
        const after = sentence.slice((run.index ?? 0) + run[0].length);
        const gloss = /\p{Lu}[\p{L}.'-]*\s*[(（「"“]\s*$/u.test(before);
        if (!gloss && /\p{Script=Latin}{2,}/u.test(before) && /\p{Script=Latin}{2,}/u.test(after)) stray.push(run[0]);
      }
    }
  }
  return stray;
}

/** Sudden switches into another script, token soup across scripts, words that mix scripts, stray foreign words. */
export function scriptMix(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  const expected = ctx.language.scripts;
  const expectedName = [...expected].join('/');
  if (!ctx.proseText.length && ctx.codeShare > 0) return codeScripts(ctx, t);
  // Code is written in Latin whatever the language around it: the scripts of the prose are what is measured.
  const written = ctx.proseText.length ? ctx.proseText.join('\n') : ctx.text;
  // In text of another script, Latin inside quotation or title marks (《The Lord of the Rings》) is quoted, not written.
  const prose = expected.has('Latin') ? written : written.replace(QUOTED, (q) => q.replace(/\p{Script=Latin}+/gu, ''));
  const weights = scriptWeights(prose);
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return result('script-mix', true, 1, 'no letters to judge');
  // Latin names and terms are everyday in CJK and other text ("ChatGLM2-6B", "iPhone"): only Latin sentences count.
  const quoted = expected.has('Latin') ? quotedForeign(ctx, prose) : { weight: 0, text: prose };
  const runs = scriptRuns(quoted.text);
  // In text of another script, Latin names and terms ("micro USB或type-C") are neither foreign weight nor switches.
  const terms = expected.has('Latin') ? new Set<number>() : latinTerms(runs);
  const tolerated = expected.has('Latin') ? quoted.weight : [...terms].reduce((a, i) => a + [...(runs[i] ?? '')].filter((c) => scriptOf(c) === 'Latin').length / LATIN_LETTERS_PER_WORD, 0);
  const foreignWeight = [...weights].filter(([s]) => !expected.has(s)).reduce((a, [, w]) => a + w, 0) - tolerated;
  const foreign = Math.max(0, foreignWeight) / total;
  const runScripts = runs.map(scriptsOfWord);
  const mixedWords = runs.filter((_, i) => (runScripts[i]?.size ?? 0) > 1);
  const sequence = runScripts.filter((_, i) => !terms.has(i)).map((s) => [...s][0]);
  let switches = 0;
  for (let i = 1; i < sequence.length; i++) if (sequence[i] !== sequence[i - 1]) switches++;
  const switchRate = sequence.length ? switches / sequence.length : 0;
  const switchLimit = t.maxScriptSwitchRate;
  const score = Math.min(scoreAtMost(foreign, t.maxForeignScriptShare, 0), scoreAtMost(switchRate, switchLimit, 0));
  const others = [...weights].filter(([s]) => !expected.has(s)).map(([s, w]) => `${s} ${pct(w / total)}`).join(', ');
  if (foreign > t.maxForeignScriptShare) return result('script-mix', false, score, `switched script: ${pct(foreign)} of words are not ${expectedName} (limit ${pct(t.maxForeignScriptShare)}): ${others}`);
  if (mixedWords.length > t.maxMixedScriptWords) return result('script-mix', false, Math.min(score, 0.3), `mixed scripts inside words: ${mixedWords.slice(0, 4).map((w) => `'${w}'`).join(', ')} (${mixedWords.length}, limit ${t.maxMixedScriptWords})`);
  if (switches >= 6 && switchRate > switchLimit) return result('script-mix', false, score, `token soup across scripts: the script changes ${switches} times in ${sequence.length} words (limit ${pct(switchLimit)} of words)`);
  if (expected.has('Latin')) {
    const stray = strayForeignRuns(ctx);
    if (stray.length) return result('script-mix', false, 0.3, `stray foreign words inside ${expectedName} sentences: ${stray.slice(0, 3).map((s) => quote(s, 20)).join(', ')} (${stray.length}); no word in the sentence says it quotes another language`);
  } else {
    const clause = englishClause(prose);
    if (clause) return result('script-mix', false, 0.3, `switched language inside the output: an English clause ${quote(clause, 50)} in ${expectedName} text`);
    const faults = codeSwitchFaults(prose, expected);
    if (faults.thirdScript.length) return result('script-mix', false, 0.3, `a third script inside ${expectedName} text: ${faults.thirdScript.slice(0, 3).map((w) => quote(w, 20)).join(', ')} (a script this text's language does not write, not Latin, and no word in the sentence names a language)`);
    if (faults.weight > MAX_CODE_SWITCH_WEIGHT) return result('script-mix', false, 0.3, `code-switching inside ${expectedName} sentences: ${faults.glued.slice(0, 4).map((w) => quote(w, 20)).join(', ')} (weight ${faults.weight}: a word 1, a function word ${FUNCTION_WORD_WEIGHT}, a symbol ${SYMBOL_WEIGHT}; limit ${MAX_CODE_SWITCH_WEIGHT}): common English words or ASCII symbols wedged between ${expectedName} characters, not names, acronyms or code`);
  }
  return result('script-mix', true, score, others ? `${expectedName} text with ${others}` : `all letters are ${expectedName}`);
}

/** A Latin quotation or title in CJK punctuation or double quotes: words and their punctuation only, nothing else. */
const QUOTED = /[“"「『《]\p{Script=Latin}[\p{Script=Latin}\p{M}\d\s'’:;,.!?&-]*[”"」』》]/gu;

/** Sentences that say they quote or translate English, in the scripts that write no spaces. */
const CJK_LANGUAGE_CUE = /英文|英语|英語|翻译|翻訳|영어|번역/;

/**
 * An English clause inside text of another script ("The capital of France is Paris, 它是…"): a switch of language,
 * however small a share of the text. A clause is 4+ Latin words in a row with 3+ lower-case ones and 2+ English
 * function words; names and titles ("Visual Studio Code", "The Lord of the Rings") capitalise their words, and
 * quotations (“…”, 「…」) and sentences that name English are left alone.
 */
function englishClause(prose: string): string | undefined {
  for (const sentence of prose.split(/(?<=[。！？.!?])|\n/)) {
    if (CJK_LANGUAGE_CUE.test(sentence) || LANGUAGE_CUE.test(sentence)) continue;
    const unquoted = sentence.replace(QUOTED, ' ');
    for (const m of unquoted.matchAll(/\p{Script=Latin}+(?:['’]\p{Script=Latin}+)*(?:[\s,]+\p{Script=Latin}+(?:['’]\p{Script=Latin}+)*){3,}/gu)) {
      const words = m[0].split(/[\s,]+/);
      const lower = words.filter((w) => /^\p{Ll}/u.test(w)).length;
      if (lower >= 3 && words.filter((w) => isFrequentWord(w)).length >= 2) return m[0];
    }
  }
  return undefined;
}

/**
 * Indices of Latin runs that are not part of a Latin sentence: names and terms. A sentence is 4+ Latin runs in a row
 * with 3+ of them in lower case; names and titles capitalise their words ("A Midsummer Night's Dream", "The
 * Merchant of Venice" beside 《威尼斯商人》).
 */
function latinTerms(runs: readonly string[]): Set<number> {
  const terms = new Set<number>();
  let streak: number[] = [];
  const flush = () => {
    const lower = streak.filter((i) => /^\p{Ll}/u.test(runs[i] ?? '')).length;
    if (streak.length < 4 || lower < 3) for (const i of streak) terms.add(i);
    streak = [];
  };
  runs.forEach((run, i) => {
    if (/^\p{Script=Latin}[\p{Script=Latin}\p{M}]*$/u.test(run)) streak.push(i);
    else flush();
  });
  flush();
  return terms;
}

/**
 * Other-script words in sentences that say they quote another language ("hello in Chinese is 你好"): their weight,
 * and the text without them (for counting script switches).
 */
function quotedForeign(ctx: JudgeContext, prose: string): { weight: number; text: string } {
  let weight = 0;
  const text = prose.split('\n').map((line) => line.split(/(?<=[.!?。！？])\s+/).map((sentence) => {
    if (!LANGUAGE_CUE.test(sentence)) return sentence;
    for (const [script, w] of scriptWeights(sentence)) if (!ctx.language.scripts.has(script)) weight += w;
    return sentence.replace(/[^\p{Script=Latin}\s\d\p{P}\p{S}]+/gu, (run) => ([...scriptsOfWord(run)].every((sc) => ctx.language.scripts.has(sc)) ? run : ''));
  }).join(' ')).join('\n');
  return { weight, text };
}

/**
 * Code alone (a fenced program with no prose around it): its comments and strings may be in any script (a Chinese
 * answer comments its Python in Chinese), so only words that mix alphabets inside themselves ("рабоtа") are junk.
 */
function codeScripts(ctx: JudgeContext, t: JudgeThresholds): CheckResult {
  const mixed = scriptRuns(ctx.text).filter((run) => scriptsOfWord(run).size > 1);
  if (mixed.length > t.maxMixedScriptWords) return result('script-mix', false, 0.3, `mixed scripts inside words of the code: ${mixed.slice(0, 4).map((w) => `'${w}'`).join(', ')} (${mixed.length}, limit ${t.maxMixedScriptWords})`);
  return result('script-mix', true, 1, 'code only: its comments and strings may be in any script; no word mixes alphabets');
}

const CJK_CHAR = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}]';
/** Sentences that name the language they quote, in the scripts that write no spaces (俄语, ギリシャ語, 러시아어 …). */
const CJK_NAMES_LANGUAGE = /[俄希阿泰印梵][语語文]|希腊|希臘|阿拉伯|西里尔|ロシア|ギリシャ|アラビア|キリル|러시아|그리스|아랍|키릴|语言|言語|언어|意思|单词|單詞|単語|拼写|拼音|读音|发音|発音|日[语語文]|韩[语文]|韓国語|朝鲜|한국어|일본어|중국어|中文|汉语|漢語|中国語|假名|仮名|平假名|片假名|ひらがな|カタカナ|韩文|한글/;
/**
 * Inside the CJK family the languages keep their own scripts: Chinese writes no kana or Hangul, Japanese no Hangul,
 * Korean no kana. The text's language is read from its shares (Hangul > 30% of its CJK letters: Korean; kana > 10%:
 * Japanese; else Chinese) and runs of the others are a third script ("每次调用の한국一条"). None of the corpus's good
 * texts has one; 21 broken ones do.
 */
function strayCjkScript(prose: string): RegExp | undefined {
  const han = prose.match(/\p{Script=Han}/gu)?.length ?? 0;
  const kana = prose.match(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  const hangul = prose.match(/\p{Script=Hangul}/gu)?.length ?? 0;
  const total = han + kana + hangul;
  if (!total) return undefined;
  if (hangul > total * 0.3) return /[\p{Script=Hiragana}\p{Script=Katakana}]+/gu;
  if (kana > total * 0.1) return /\p{Script=Hangul}+/gu;
  return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
}

/** The same, in the alphabets: Russian and Ukrainian (язык, китайский, иероглиф, означает, перевод …), Greek, Arabic. */
const OTHER_NAMES_LANGUAGE = /язык|мов[аиу]|китайск|японск|корейск|греческ|арабск|русск|иероглиф|означа|перев[оеё]д|пишется|называ|γλώσσα|κινεζικ|لغة|الصينية/iu;
/** A Greek letter or two inside CJK is a symbol (α粒子, β-内酰胺, μm), not Greek text. */
const GREEK_SYMBOL = /^\p{Script=Greek}{1,2}$/u;
/** A lower-case word between CJK characters (a space and one mark allowed): "应用 doubts?只". */
const WORD_BETWEEN_CJK = new RegExp(`(?<=${CJK_CHAR}\\s?)(\\p{Ll}{2,})(?=[?!,.]?\\s?${CJK_CHAR})`, 'gu');
/** An ASCII '?' or '$' glued between a Latin and a CJK character, or '$ ^ @' between two CJK characters: "nan?的$的". */
const SYMBOL_BETWEEN_SCRIPTS = new RegExp(`(?<=\\p{Script=Latin})[?$](?=${CJK_CHAR})|(?<=${CJK_CHAR})[$^@](?=${CJK_CHAR})`, 'gu');
/**
 * Evidence needed: a word counts 1, an English function word ("very", "because": never a term) and a wedged symbol
 * 2, so three words, or a function word or a symbol and one more word, fail. One or two lower-case content words
 * between CJK characters may be terms a writer left in English ("这个 bug", "先 debug 一下").
 */
const MAX_CODE_SWITCH_WEIGHT = 2;
const SYMBOL_WEIGHT = 2;
const FUNCTION_WORD_WEIGHT = 2;
/** Lower-case words that are code, commands or units, which CJK technical writing leaves in Latin ("用 for 循环"). */
const CODE_WORDS = new Set(('if else elif for while do try catch except finally return import from class def function const let var new this self '
  + 'true false null none nil void int float double char string bool list dict map set get put post print printf echo main range len sum max min '
  + 'and or not in is of by at to as on off id ok app api url web cpu gpu ram rom sql git pip npm cd ls rm cp mv sudo http https www com org '
  + 'kg km cm mm mg ml kb mb gb tb hz khz mhz ghz px em vs etc').split(' '));

/**
 * Faults of code-switching in text of a script other than Latin: letters of a third script (neither the text's nor
 * Latin: "每次工具调用печат一条", "Мы встретились 这些 вчера"), and, in the scripts written without spaces (CJK), common
 * English words or ASCII symbols wedged between CJK characters
 * ("应用 doubts?只 write 一次", "服务器示nan?的$的"). Names, acronyms, identifiers, numbers and units are normal
 * there ("用iPhone拍", "ChatGLM2-6B", "USB或type-C"): capitalised, with digits, or code words, they are left alone.
 */
function codeSwitchFaults(prose: string, expected: ReadonlySet<string>): { thirdScript: string[]; glued: string[]; weight: number } {
  const thirdScript: string[] = [];
  const glued: string[] = [];
  let weight = 0;
  const cjk = expected.has('CJK');
  const strayCjk = cjk ? strayCjkScript(prose) : undefined;
  for (const sentence of prose.replace(/`[^`\n]*`/g, ' ').split(/(?<=[。！？])|(?<=[.!?])\s+|\n/)) {
    if (CJK_NAMES_LANGUAGE.test(sentence) || CJK_LANGUAGE_CUE.test(sentence) || OTHER_NAMES_LANGUAGE.test(sentence)) continue;
    for (const run of sentence.match(/[^\p{Script=Latin}\s\d\p{P}\p{S}\p{M}]+/gu) ?? []) {
      // 'Other' letters (the kana mark ー, rarer alphabets) are left alone: only scripts the judge names are told apart.
      const foreign = [...run].filter((c) => { const sc = scriptOf(c); return sc && sc !== 'Latin' && sc !== 'Other' && !expected.has(sc); }).join('');
      if (foreign && !GREEK_SYMBOL.test(foreign)) thirdScript.push(foreign);
    }
    if (strayCjk) thirdScript.push(...(sentence.match(strayCjk) ?? []));
    if (!cjk) continue;
    for (const [word] of sentence.matchAll(WORD_BETWEEN_CJK)) if (isKnownWord(word) && !CODE_WORDS.has(word)) { glued.push(word); weight += isFrequentWord(word) ? FUNCTION_WORD_WEIGHT : 1; }
    for (const m of sentence.matchAll(SYMBOL_BETWEEN_SCRIPTS)) { glued.push(sentence.slice(Math.max(0, m.index - 1), m.index + 2)); weight += SYMBOL_WEIGHT; }
  }
  return { thirdScript, glued, weight };
}
