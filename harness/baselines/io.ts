import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { formatIssues } from '../config/load.ts';
import { projectRoot } from './defaults.ts';
import { type Baseline, baselineSchema } from './schema.ts';

/** Reads and validates a baseline file; every problem is a ConfigError that names the file and the field. */
export function loadBaseline(file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const what = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `is not valid JSON: ${(error as Error).message}`;
    throw new ConfigError(`baseline ${file} ${what}`, 'record one with `npm run baseline:record -- reports/<run-id> fixtures/baselines/<name>.json --label "…"`');
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, `baseline ${file}`, new Map()), 'fix the fields named above; fixtures/baselines/baseline.schema.json describes the format');
  return parsed.data;
}

export function loadBaselines(files: readonly string[], cwd = process.cwd()): Baseline[] {
  return files.map((file) => loadBaseline(resolve(cwd, file)));
}

/** Writes a baseline with a `$schema` pointer (relative to the file) so editors validate it. */
export function saveBaseline(file: string, baseline: Baseline, schemaFile = resolve('fixtures/baselines/baseline.schema.json')): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const schemaRef = relative(dirname(resolve(file)), schemaFile).split('\\').join('/');
  const { $schema: _, ...rest } = baseline;
  writeFileSync(file, `${JSON.stringify({ $schema: schemaRef.startsWith('.') ? schemaRef : `./${schemaRef}`, ...rest }, null, 2)}\n`);
}

/**
 * The config's baseline files as absolute paths: relative to the config file when they exist there (like the
 * prompt set), else to the working directory (how BENCH_BASELINES=… is usually meant), else to the project root
 * (the shipped fixtures/baselines/, found from any working directory). `"baselines": []` in the config compares with none.
 */
export function baselineFilesOf(loaded: { config: { baselines: string[] }; baseDir: string }, cwd = process.cwd()): string[] {
  const candidates = (file: string) => [resolve(loaded.baseDir, file), resolve(cwd, file), resolve(projectRoot, file)];
  return loaded.config.baselines.map((file) => (isAbsolute(file) ? file : (candidates(file).find((f) => existsSync(f)) ?? resolve(cwd, file))));
}
