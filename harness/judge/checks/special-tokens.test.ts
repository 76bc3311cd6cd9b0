import { describe, expect, it } from 'vitest';
import { resolveThresholds } from '../thresholds.ts';
import { withoutStopMarker } from '../stop-marker.ts';
import { leakedSpecialTokens, specialTokens } from './special-tokens.ts';

const t = resolveThresholds();
const fails = (text: string) => !specialTokens({ text }, t).pass;

describe('special tokens: every family a tokenizer can leak', () => {
  it.each([
    ['bar-delimited (GPT, Llama 3, Qwen)', 'Hello!<|im_start|>user\nHi again'],
    ['bar-delimited, full-width (DeepSeek)', 'The answer is 4.<｜end▁of▁sentence｜>And then'],
    ['bar-delimited, SentencePiece name', 'word <｜▁pad▁｜> word'],
    ['malformed: closing bar missing', 'Feel free to ask. :)<|endoftext>\n ..-100'],
    ['malformed: opening bar missing', 'Done.<endoftext|> and more text'],
    ['malformed: closing bracket missing', 'Sure.<|eot_id| more text follows'],
    ['a new member of a family', 'text <|reserved_special_token_7|> text'],
    ['numbered control tokens (Mistral)', 'gegründ[control_234][control_129] Orts'],
    ['T5 sentinels', 'The <extra_id_0> walks in <extra_id_1> park'],
    ['unused vocabulary (Gemma, BERT)', '<unused49>\n<unused49>', ],
    ['unused vocabulary, BERT brackets', 'words [unused12] words'],
    ['SentencePiece byte tokens', 'line one<0x0A>line two'],
    ['Llama 2 instructions', 'Hello [INST] there'],
    ['Llama 2 system block', '<<SYS>> be nice <</SYS>> ok'],
    ['Mistral tool token', 'Sure. [TOOL_CALLS] [{"name": "x"}]'],
    ['sequence markers mid-text', 'The end.</s><s> And another start'],
    ['unknown-word token', 'the <unk> of'],
    ['Code Llama fill-in-the-middle', '?\n <SUF> <MID> <EOT> <PRE> <SUF>\ne.\n* 10. August'],
    ['StarCoder fill-in-the-middle', 'def f():<fim_middle>    return 1'],
    ['InternLM2 and Baichuan vocabulary', 'Hi[UNUSED_TOKEN_145]\nthere <reserved_102> you'],
    ['GLM and Falcon control words', '[gMASK]sop Hello >>ANSWER<< Paris'],
    ['Gemma turns', 'Paris.<end_of_turn>\n<start_of_turn>user\nAnd Rome?'],
    ['a leak inside quoted speech in prose', 'She said "see you soon<|im_end|> tomorrow" and left.'],
    ['a stripped role header glued after a question', 'Is there anything else, or would you like to chat?assistant\n\nI am happy to chat!'],
    ['a stripped role header glued after a full stop', 'That is all for today.user\nTell me more.'],
    ['a role label with a header marker', 'Thanks for asking!### Human: and what else?'],
    ['"assistant" glued to the last word of a turn', 'We need a recommendation mediumassistant\nWe need to understand it.'],
  ])('%s', (_, text) => expect(fails(text), text).toBe(true));

  it.each([
    ['HTML', '<div class="a"><p>Hello</p><br/></div> and <br> again'],
    ['words ending in a role name', 'Rust has a huge library ecosystem\n\nThe admin is a superuser\nWe will remodel\nUse the model. The user\nis here.'],
    ['a role named in a sentence', 'The assistant replied. The user asked: why?\nSystem: Linux'],
    ['strikethrough markup', 'It costs <s>$20</s> $15 today.'],
    ['old upper-case HTML', '<PRE>ls -la</PRE> lists the files.'],
    ['generics', 'fn parse<T>(v: Vec<String>) -> Option<T> { None }'],
    ['keys and placeholders in docs', 'Press <Enter>, then <Ctrl>+<C>. In Vim, map <Leader>w to :w<CR>. Run cp <PATH> <API_KEY> now.'],
    ['JSX', 'return <Button onClick={go}>Save</Button>;'],
    ['Markdown links and footnotes', 'See [the docs](https://x.dev) and [1], [NOTE], [TODO] and [PDF].'],
    ['array indexing', 'char buf[BUFFER_SIZE]; int x = a[MAX_LEN - 1];'],
    ['a token named as one', 'BERT puts a [CLS] token first and a [SEP] token between sentences; GPT-2 ends documents with the <|endoftext|> token.'],
    ['tokens listed as tokens', 'Special tokens such as <pad> and <mask> are added by the tokenizer.'],
    ['tokens in code spans and strings', 'Set `tokenizer.pad_token = "<pad>"` and stop on `<|im_end|>`.\n```python\nprompt = "<|user|>\\n" + q + "<|end|>"\n```'],
    ['a code line\'s string literals, unfenced', 'prompt = "<|im_start|>user\\n" + question + "<|im_end|>\\n<|im_start|>assistant\\n"\nreturn tokenizer.decode(ids).replace("</s>", "")'],
    ['operators', 'In Elm, f <| x and x |> f; in Haskell, a <|> b.'],
  ])('leaves %s alone', (_, text) => expect(leakedSpecialTokens(text)).toEqual([]));

  it('says which families leaked', () => {
    expect(specialTokens({ text: 'a [control_1] b <|user|> c' }, t).reason).toMatch(/1× bar-delimited token \("<\|user\|>"\), 1× numbered vocabulary token \("\[control_1\]"\)/);
  });
});

describe('stop marker', () => {
  it.each(['<|endoftext|>', '</s>', '<|im_end|>', '<|eot_id|>', '<|end|>', '<｜end▁of▁sentence｜>', '<end_of_turn>', '<eos>', '<EOT>', '[end of text]', '<|END_OF_TURN_TOKEN|>'])(
    'strips one end token %s at the very end, and only there',
    (stop) => {
      expect(withoutStopMarker(`The story ends here.${stop}\n`)).toBe('The story ends here.');
      // llama.cpp's own '[end of text]' is no token: it is printed at the end only.
      const inside = `The story ends.${stop} More text after it.`;
      // Followed by more text it is not the stop: kept, for every marker, '[end of text]' included.
      expect(withoutStopMarker(inside)).toBe(inside);
      if (stop !== '[end of text]') expect(fails(inside)).toBe(true);
    },
  );
  it('keeps a turn opener and a second end token: the model went on writing', () => {
    expect(withoutStopMarker('Paris.<|user|>')).toBe('Paris.<|user|>');
    expect(fails(withoutStopMarker('Paris.</s></s>'))).toBe(true);
  });
});
