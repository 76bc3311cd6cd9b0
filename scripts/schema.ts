/**
 * npm run schema: JSON Schemas for editors, generated from the zod schemas the harness validates with, so the
 * two cannot drift. `--check` exits 1 when a committed schema is stale (for CI).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { baselineSchema } from '../harness/baselines/schema.ts';
import { benchConfigSchema } from '../harness/config/schema.ts';

const root = join(import.meta.dirname, '..');
const outputs: [string, z.ZodType, string][] = [
  ['fixtures/baselines/baseline.schema.json', baselineSchema, 'bitnet-coherence-bench baseline'],
  ['bench.config.schema.json', benchConfigSchema, 'bitnet-coherence-bench configuration (bench.config.json)'],
];

let stale = 0;
for (const [file, schema, title] of outputs) {
  // io: 'input' — what a person writes: fields with defaults are optional
  const json = `${JSON.stringify({ title, ...z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) }, null, 2)}\n`;
  const path = join(root, file);
  if (process.argv.includes('--check')) {
    const current = (() => { try { return readFileSync(path, 'utf8'); } catch { return ''; } })();
    if (current !== json) {
      console.error(`${file} is stale: run npm run schema`);
      stale++;
    }
  } else {
    writeFileSync(path, json);
    console.log(`wrote ${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
