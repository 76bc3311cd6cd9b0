/** Writing systems told apart; Han, kana and Hangul count as one "CJK" family (Japanese mixes them). */
const SCRIPTS: ReadonlyArray<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u], ['Cyrillic', /\p{Script=Cyrillic}/u], ['Greek', /\p{Script=Greek}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u], ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u], ['Devanagari', /\p{Script=Devanagari}/u], ['Thai', /\p{Script=Thai}/u],
];

export function scriptOf(char: string): string | undefined {
  const code = char.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ? 'Latin' : undefined;
  if (!/\p{L}/u.test(char)) return undefined;
  for (const [name, re] of SCRIPTS) if (re.test(char)) return name;
  return 'Other';
}
