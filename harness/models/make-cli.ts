import { resolve } from 'node:path';
import { makeTinyModels } from './make.ts';

/** `npm run models:make -- OUT_DIR`: writes the three tiny models and their summary into OUT_DIR. */
async function main(): Promise<void> {
  const [outDir, ...rest] = process.argv.slice(2);
  if (!outDir || rest.length > 0 || outDir.startsWith('-')) {
    console.error('usage: npm run models:make -- OUT_DIR\n  writes tiny-bitnet-{coherent,kernel-fault,loop}.gguf and tiny-models.json into OUT_DIR');
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const paths = await makeTinyModels(resolve(outDir));
  const ms = (performance.now() - started).toFixed(0);
  for (const [variant, path] of Object.entries(paths)) console.log(`${variant.padEnd(12)} ${path}`);
  console.log(`made 3 tiny models in ${ms} ms (test material, not BitNet weights)`);
}

await main();
