import { dequantizeTq2_0, packTq2_0, type TernaryMatrix } from '../gguf/tq2_0.ts';
import { GgmlType, type GgufFile, type GgufTensor, type GgufValue } from '../gguf/types.ts';
import { BOS_ID, EOS_ID, UNK_ID, type SpmVocabulary } from './spm-vocab.ts';
import type { TinyBitnetWeights } from './weights.ts';

export const CONTEXT_LENGTH = 512;
const HEAD_DIM = 128;
const RMS_EPSILON = 1e-5;

/** Which packed ternary tensors a byte-level corruption is applied to, and how. */
export type PackedTransform = (tensorName: string, packed: Uint8Array) => Uint8Array;

/**
 * How the ternary matrices are stored: TQ2_0 (what engines load directly), or F32 holding exactly the values the
 * TQ2_0 bytes stand for (a twin's corruption included), as input for an engine's own quantizer
 * (bitnet.cpp: `llama-quantize model-f32.gguf model-i2_s.gguf I2_S`).
 */
export type TernaryFormat = 'tq2_0' | 'f32';

/** llama.h `enum llama_ftype`: LLAMA_FTYPE_ALL_F32 and LLAMA_FTYPE_MOSTLY_TQ2_0 (every matrix ternary, norms F32). */
const FILE_TYPE: Record<TernaryFormat, number> = { f32: 0, tq2_0: 37 };

/**
 * The GGUF of a one-layer model for llama.cpp's `bitnet` architecture (src/models/bitnet.cpp): the tensor
 * names and shapes it loads, ternary weights as TQ2_0, F32 norms, no separate output head (tied), and a
 * SentencePiece ("llama") tokenizer. `transform` lets a twin corrupt the packed bytes like a faulty kernel.
 */
export function bitnetGguf(name: string, vocab: SpmVocabulary, w: TinyBitnetWeights, transform?: PackedTransform, format: TernaryFormat = 'tq2_0'): GgufFile {
  const { nEmbd, nFf } = w;
  const ternary = (tensorName: string, m: TernaryMatrix): GgufTensor => {
    const packed = packTq2_0(m);
    const data = transform ? transform(tensorName, packed) : packed;
    if (format === 'f32') return { name: tensorName, dims: [m.cols, m.rows], type: GgmlType.F32, data: new Uint8Array(dequantizeTq2_0(data).buffer) };
    return { name: tensorName, dims: [m.cols, m.rows], type: GgmlType.TQ2_0, data };
  };
  const ones = (tensorName: string, n: number): GgufTensor => ({
    name: tensorName,
    dims: [n],
    type: GgmlType.F32,
    data: new Uint8Array(new Float32Array(n).fill(1).buffer),
  });
  const tensors: GgufTensor[] = [
    ternary('token_embd.weight', w.tokenEmbd),
    ones('output_norm.weight', nEmbd),
    ones('blk.0.attn_norm.weight', nEmbd),
    ones('blk.0.attn_sub_norm.weight', nEmbd),
    ternary('blk.0.attn_q.weight', w.wq),
    ternary('blk.0.attn_k.weight', w.wk),
    ternary('blk.0.attn_v.weight', w.wv),
    ternary('blk.0.attn_output.weight', w.wo),
    ones('blk.0.ffn_norm.weight', nEmbd),
    ones('blk.0.ffn_sub_norm.weight', nFf),
    ternary('blk.0.ffn_gate.weight', w.ffnGate),
    ternary('blk.0.ffn_up.weight', w.ffnUp),
    ternary('blk.0.ffn_down.weight', w.ffnDown),
  ];

  const heads = nEmbd / HEAD_DIM;
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: 'bitnet' }],
    ['general.name', { type: 'string', value: name }],
    ['general.description', { type: 'string', value: 'Tiny test model made by bitnet-coherence-bench; not BitNet b1.58 weights.' }],
    ['general.alignment', { type: 'u32', value: 32 }],
    ['general.file_type', { type: 'u32', value: FILE_TYPE[format] }],
    ['bitnet.context_length', { type: 'u32', value: CONTEXT_LENGTH }],
    ['bitnet.embedding_length', { type: 'u32', value: nEmbd }],
    ['bitnet.block_count', { type: 'u32', value: 1 }],
    ['bitnet.feed_forward_length', { type: 'u32', value: nFf }],
    ['bitnet.attention.head_count', { type: 'u32', value: heads }],
    ['bitnet.attention.head_count_kv', { type: 'u32', value: heads }],
    ['bitnet.attention.layer_norm_rms_epsilon', { type: 'f32', value: RMS_EPSILON }],
    ['bitnet.rope.freq_base', { type: 'f32', value: 10000 }],
    ['bitnet.vocab_size', { type: 'u32', value: vocab.tokens.length }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: UNK_ID }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: BOS_ID }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: EOS_ID }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: true }],
  ];
  return { metadata, tensors };
}
