import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp';

export interface GreedyContinuation {
  prompt: string;
  promptTokens: readonly number[];
  tokens: readonly number[];
  text: string;
  /** True when the model emitted an end-of-generation token before `maxTokens`. */
  stopped: boolean;
  /** Generated tokens per second of wall time, prompt evaluation included. */
  tokensPerSecond: number;
}

/**
 * Greedy (temperature 0) continuations from node-llama-cpp's in-process llama.cpp, CPU only, never
 * building or downloading anything. One thread: llama.cpp's worker threads spin while waiting, and on a
 * small shared machine two spinning threads measured 3-6 tokens/s on a tiny model versus ~2000 with one.
 */
export class NodeLlamaGreedy {
  private constructor(
    private readonly llama: Llama,
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
  ) {}

  static async load(modelPath: string, contextSize = 512): Promise<NodeLlamaGreedy> {
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    try {
      const model = await llama.loadModel({ modelPath });
      const context = await model.createContext({ contextSize, sequences: 1, threads: 1 });
      return new NodeLlamaGreedy(llama, model, context);
    } catch (error) {
      await llama.dispose();
      throw error;
    }
  }

  async continue(prompt: string, maxTokens: number): Promise<GreedyContinuation> {
    const sequence = this.context.getSequence();
    try {
      // Like llama.cpp's own CLI: BOS first when the vocabulary asks for it.
      const { bos, shouldPrependBosToken } = this.model.tokens;
      const text = this.model.tokenize(prompt);
      const promptTokens = shouldPrependBosToken && bos !== null ? [bos, ...text] : text;
      const tokens: Token[] = [];
      let stopped = false;
      const started = performance.now();
      for await (const token of sequence.evaluate(promptTokens, { temperature: 0, yieldEogToken: true })) {
        if (this.model.isEogToken(token)) {
          stopped = true;
          break;
        }
        tokens.push(token);
        if (tokens.length >= maxTokens) break;
      }
      const seconds = (performance.now() - started) / 1000;
      const continuation = this.model.detokenize(tokens, false, promptTokens);
      return { prompt, promptTokens, tokens, text: continuation, stopped, tokensPerSecond: tokens.length / seconds };
    } finally {
      sequence.dispose();
    }
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}
