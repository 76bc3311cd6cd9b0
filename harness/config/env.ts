/**
 * Environment overrides, applied over the config file before validation so a bad value is reported like a bad
 * file entry. Each maps one variable to one config path; numbers are parsed here so "four" fails as a type error.
 */
type Setter = { path: string[]; number?: boolean; list?: boolean };

export const envOverrides: Record<string, Setter> = {
  BENCH_TARGET: { path: ['target', 'kind'] },
  BENCH_SSH_HOST: { path: ['target', 'host'] },
  BENCH_SSH_PORT: { path: ['target', 'port'], number: true },
  BENCH_SSH_USER: { path: ['target', 'username'] },
  BENCH_SSH_KEY: { path: ['target', 'privateKeyPath'] },
  BENCH_SSH_FINGERPRINT: { path: ['target', 'hostKeyFingerprint'] },
  BENCH_WORK_DIR: { path: ['target', 'workDir'] },
  BENCH_ENGINE: { path: ['engine', 'kind'] },
  BENCH_ENGINE_DIR: { path: ['engine', 'dir'] },
  BENCH_MODEL_PATH: { path: ['engine', 'modelPath'] },
  BENCH_LLAMA_MODEL: { path: ['engine', 'model'] },
  BENCH_LLAMA_MODE: { path: ['engine', 'mode'] },
  BENCH_LLAMA_BIN_DIR: { path: ['engine', 'binDir'] },
  BENCH_PROMPTS: { path: ['prompts'] },
  BENCH_N_PREDICT: { path: ['generation', 'nPredict'], number: true },
  BENCH_THREADS: { path: ['generation', 'threads'], number: true },
  BENCH_MIN_TPS: { path: ['throughput', 'minTokensPerSecond'], number: true },
  BENCH_REPETITIONS: { path: ['throughput', 'repetitions'], number: true },
  BENCH_REPORTS_DIR: { path: ['reports', 'dir'] },
  BENCH_BASELINES: { path: ['baselines'], list: true },
};

/** Returns the overrides found and which variable set which path (for error messages). */
export function readEnvOverrides(env: NodeJS.ProcessEnv): { patch: Record<string, unknown>; sources: Map<string, string> } {
  const patch: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  for (const [name, setter] of Object.entries(envOverrides)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = setter.number ? parseNumber(raw) : setter.list ? raw.split(',').map((s) => s.trim()) : raw;
    setPath(patch, setter.path, value);
    sources.set(setter.path.join('.'), name);
  }
  return { patch, sources };
}

function parseNumber(raw: string): number | string {
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let node = obj;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path.at(-1)!] = value;
}

/** Deep merge of plain objects; arrays and scalars from `over` replace those in `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
