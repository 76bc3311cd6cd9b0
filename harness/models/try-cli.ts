import { readFile } from 'node:fs/promises';
import { NodeLlamaGreedy } from './engine/node-llama-greedy.ts';

/**
 * `npm run models:try -- MODEL.gguf [MAX_TOKENS]`: greedy continuation of every demo prompt with
 * node-llama-cpp's in-process llama.cpp (CPU, one thread), with tokens/s. For eyeballing the tiny models.
 */
async function main(): Promise<void> {
  const [modelPath, maxArg = '120'] = process.argv.slice(2);
  const maxTokens = Number(maxArg);
  if (!modelPath || !Number.isInteger(maxTokens) || maxTokens < 1) {
    console.error('usage: npm run models:try -- MODEL.gguf [MAX_TOKENS=120]');
    process.exitCode = 2;
    return;
  }
  const demo = JSON.parse(await readFile(new URL('../../fixtures/prompts/demo.json', import.meta.url), 'utf8')) as {
    prompts: { id: string; text: string }[];
  };
  const engine = await NodeLlamaGreedy.load(modelPath);
  try {
    for (const { id, text } of demo.prompts) {
      const run = await engine.continue(text, maxTokens);
      const end = run.stopped ? 'end of text' : 'token limit';
      console.log(`[${id}] ${run.tokens.length} tokens, ${run.tokensPerSecond.toFixed(0)} tokens/s, ${end}`);
      console.log(`  ${text}${run.text}\n`);
    }
  } finally {
    await engine.dispose();
  }
}

await main();
