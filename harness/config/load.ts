import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { runpodConfigFromEnv } from '../providers/runpod/config.ts';
import { deepMerge, envOverrides, readEnvOverrides } from './env.ts';
import { type BenchConfig, benchConfigSchema, type PromptSet, promptSetSchema } from './schema.ts';

export interface LoadedConfig {
  config: BenchConfig;
  prompts: PromptSet;
  /** The file the config came from, or `defaults` when none was found. */
  source: string;
  /** Folder relative paths in the config resolve against. */
  baseDir: string;
}

/**
 * Reads `file` (or $BENCH_CONFIG), applies BENCH_* overrides, validates, and loads the prompt set.
 * Everything that can be wrong with the configuration is found here, before a target is provisioned.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = env.BENCH_CONFIG ? resolve(cwd, env.BENCH_CONFIG) : options.file ? resolve(cwd, options.file) : undefined;
  if (env.BENCH_CONFIG && !existsSync(file!)) throw new ConfigError(`BENCH_CONFIG points to ${file}, which does not exist`, 'set BENCH_CONFIG to an existing JSON file, or unset it to use the defaults');
  const fromFile = file && existsSync(file) ? readJson(file, 'config file') : {};
  const { patch, sources } = readEnvOverrides(env);
  const merged = mergeConfig(fromFile, patch);
  const parsed = benchConfigSchema.safeParse(merged);
  const source = file && existsSync(file) ? file : 'defaults';
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, source, sources), 'fix the fields named above; `npm run schema` writes a JSON Schema your editor can check against');
  const baseDir = file ? dirname(file) : cwd;
  const promptsFile = isAbsolute(parsed.data.prompts) ? parsed.data.prompts : resolve(existsSync(resolve(baseDir, parsed.data.prompts)) ? baseDir : cwd, parsed.data.prompts);
  return { config: parsed.data, prompts: loadPromptSet(promptsFile), source, baseDir };
}

/** For the command-line tools: an explicit --config wins over $BENCH_CONFIG, which wins over ./bench.config.json. */
export function loadConfigFromFlag(flag: string | undefined): LoadedConfig {
  return loadConfig({ file: flag ?? 'bench.config.json', env: flag ? { ...process.env, BENCH_CONFIG: '' } : process.env });
}

/**
 * The secrets a target needs to be provisioned (RunPod: RUNPOD_API_KEY and valid RUNPOD_* values), checked before
 * anything is rented. Separate from loadConfig: reading a config (the gate, a merge) needs no key.
 */
export function requireTargetCredentials(config: BenchConfig, env: NodeJS.ProcessEnv): void {
  if (config.target.kind !== 'runpod') return;
  const { kind: _, workDir: __, ...settings } = config.target;
  runpodConfigFromEnv('config-check', env, settings);
}

export function loadPromptSet(file: string): PromptSet {
  if (!existsSync(file)) throw new ConfigError(`prompt set ${file} does not exist`, 'set "prompts" (or BENCH_PROMPTS) to a JSON file like fixtures/prompts/seed.json');
  const parsed = promptSetSchema.safeParse(readJson(file, 'prompt set'));
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, file, new Map()), 'see fixtures/prompts/seed.json for the format: {"name", "prompts": [{"id", "text", "expect"?}]}');
  return parsed.data;
}

/** A kind switched by the environment (BENCH_TARGET=ssh) replaces the file's section instead of merging into it. */
function mergeConfig(fromFile: unknown, patch: Record<string, unknown>): unknown {
  const base = { ...(fromFile as Record<string, unknown>) };
  for (const section of ['target', 'engine']) {
    const over = patch[section] as { kind?: string } | undefined;
    const current = base[section] as { kind?: string } | undefined;
    if (over?.kind && current?.kind !== over.kind) delete base[section];
  }
  return deepMerge(base, patch);
}

function readJson(file: string, what: string): unknown {
  const text = decodeUtf8(readFileSync(file), file, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${what} ${file} is not valid JSON: ${(error as Error).message}`, 'fix the JSON syntax (a trailing comma or a missing quote is the usual cause)');
  }
}

/**
 * The README promises prompts reach the engine byte for byte; a Latin-1 or UTF-16 file decoded leniently would
 * reach it with U+FFFD in place of its accents. So anything that is not UTF-8 is refused, naming where.
 */
function decodeUtf8(bytes: Buffer, file: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // the longest prefix that decodes (a sequence cut at its end is fine when streaming) stops at the first bad byte
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        lo = mid;
      } catch {
        hi = mid - 1;
      }
    }
    // that prefix may end in the lead bytes of the bad sequence: back up to where a whole prefix decodes
    let bad = Math.min(lo, bytes.length - 1);
    while (bad > 0 && !decodes(bytes.subarray(0, bad))) bad--;
    const line = bytes.subarray(0, bad).filter((b) => b === 0x0a).length + 1;
    throw new ConfigError(`${what} ${file} is not valid UTF-8: byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad} (line ${line})`, 'save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`); prompts are passed to the engine byte for byte, so the harness does not guess an encoding');
  }
}

function decodes(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function formatIssues(issues: z.core.$ZodIssue[], source: string, envSources: Map<string, string>): string {
  const lines = issues.map((issue) => {
    const path = issue.path.join('.') || '(top level)';
    const setBy = envSources.get(path);
    const settable = Object.entries(envOverrides).find(([, setter]) => setter.path.join('.') === path)?.[0];
    const via = setBy ? ` (set by ${setBy})` : '';
    const how = !setBy && settable && issue.code === 'invalid_type' && issue.input === undefined ? ` — set it in the config file or with ${settable}` : '';
    const keys = issue.code === 'unrecognized_keys' ? ` — remove or correct: ${issue.keys.join(', ')}` : '';
    return `  ${path}${via}: ${issue.message}${keys}${how}`;
  });
  return `invalid configuration in ${source}:\n${lines.join('\n')}`;
}
