/**
 * Builds fixtures/judge-corpus/degenerate.jsonl from the hand-written coherent.jsonl: every fault of
 * faults.ts applied to the coherent texts (each variant keeps its source's dev/holdout split, so no holdout
 * text leaks into development), plus stand-alone junk (symbol runs, empty output, answers to another prompt).
 * Deterministic: `npx tsx harness/judge/corpus/generate.ts` rewrites the same file byte for byte.
 */
import { writeFileSync } from 'node:fs';
import { readCorpus, type CorpusSample } from './corpus.ts';
import * as f from './faults.ts';

const dir = new URL('../../../fixtures/judge-corpus/', import.meta.url);
const coherent = readCorpus(new URL('coherent.jsonl', dir).pathname);

const FOREIGN = [
  'Die Stadt liegt an einem großen Fluss und hat viele alte Brücken.', 'Der Zug fährt jeden Morgen um sieben Uhr ab.',
  'La ville est connue pour ses musées et ses jardins.', 'Nous avons mangé du pain frais avec du fromage.',
  'El río atraviesa la ciudad de norte a sur.', 'Los niños juegan en la plaza hasta la noche.',
  'Город расположен на берегу большой реки.', 'Мы долго говорили о погоде и о работе.',
  '这个城市有很多历史悠久的建筑。', '我们明天早上去图书馆学习。', '東京は日本の首都で、とても大きな都市です。',
  'المدينة كبيرة وجميلة جدا.', 'Η πόλη είναι γνωστή για τα μουσεία της.',
];
const FRAGMENTS = [
  'kaz', 'рабо', 'Gesch', '的', 'dél', 'ções', 'ского', 'ingly', 'tion', 'Str', '中', 'ität', 'ния', 'は', 'ald',
  'ünd', 'пред', 'zz', 'ée', 'ov', '是', 'ху', 'lich', 'ész', 'ност', '了', 'äh', 'ør', 'ış', '에', 'の', 'ción',
];

const pool = coherent.flatMap((s) => s.text.toLowerCase().match(/\p{L}+/gu) ?? []);
const FAULTS: ReadonlyArray<[string, (text: string, rng: f.Rng) => string]> = [
  ['salad-shuffle', f.saladShuffle], ['salad-bare', f.saladBare], ['salad-sampled', f.saladSampled(pool)],
  ['loop-short', f.loopShort], ['loop-long', f.loopLong], ['glued-words', f.glued], ['split-words', f.splitWords],
  ['raw-tokenizer-pieces', f.rawPieces], ['byte-junk', f.byteJunk], ['mixed-script-words', f.mixedScriptWords],
  ['language-switch', f.switchLanguage(FOREIGN)], ['token-soup', f.tokenSoup(FRAGMENTS)], ['number-junk', f.numberJunk],
];

const out: CorpusSample[] = [];
const prose = coherent.filter((s) => (s.text.match(/\p{L}+/gu)?.length ?? 0) >= 35 && s.kind !== 'code');
prose.forEach((source, i) => {
  // Each source gets four faults, rotating through the list so every fault meets many genres.
  for (let k = 0; k < 4; k++) {
    const [kind, fault] = FAULTS[(i * 4 + k) % FAULTS.length] as (typeof FAULTS)[number];
    const rng = f.seededRng(1000 * i + k + 1);
    out.push({ id: `d-${kind}-${source.id.slice(2)}`, text: fault(source.text, rng), prompt: source.prompt, label: kind === 'loop-long' ? 'repetitive' : 'degenerate', kind, split: source.split });
  }
});

const SYMBOL_JUNK = ['G', '!', '@', '?', '#', ')', '�', 'GG', '.,', 'the', '0'];
SYMBOL_JUNK.forEach((unit, i) => {
  const rng = f.seededRng(5000 + i);
  const text = Array.from({ length: 20 + Math.floor(rng() * 200) }, () => unit).join(rng() < 0.5 ? '' : ' ');
  out.push({ id: `d-symbol-repeat-${i}`, text, label: 'degenerate', kind: 'symbol-repeat', split: i % 3 === 2 ? 'holdout' : 'dev' });
});
['', ' ', '\n\n', '\t \n'].forEach((text, i) =>
  out.push({ id: `d-empty-${i}`, text, label: 'degenerate', kind: 'empty', split: i % 2 ? 'holdout' : 'dev' }));

// Grammatical text that answers another prompt: only the expectation can catch it.
const withExpect = coherent.filter((s) => s.expect);
withExpect.forEach((source, i) => {
  const other = coherent.filter((s) => s.prompt !== source.prompt && s.kind === 'seed')[i * 3 % 20];
  if (other) out.push({ id: `d-off-topic-${source.id.slice(2)}`, text: other.text, prompt: source.prompt, expect: source.expect, label: 'degenerate', kind: 'off-topic', split: source.split });
});

writeFileSync(new URL('degenerate.jsonl', dir), out.map((s) => JSON.stringify(s)).join('\n') + '\n');
console.log(`wrote ${out.length} degenerate samples (${out.filter((s) => s.split === 'holdout').length} holdout)`);
