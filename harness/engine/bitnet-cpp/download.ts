import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { HarnessError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { Target } from '../../targets/target.ts';
import { looksOffline } from '../network.ts';
import { OFFLINE_HINT } from './setup.ts';

/** The downloader the target runs (standard-library Python: it needs nothing but the network). */
const FETCH_SCRIPT = readFileSync(new URL('./fetch_model.py', import.meta.url), 'utf8');

/**
 * `https://huggingface.co/<repo>/resolve/main/<file>`: the repository's own file URL, as huggingface_hub builds it.
 * HF_ENDPOINT (a mirror, or a loopback stand-in in the tests) replaces the host, as it does for huggingface_hub.
 */
export function modelUrl(repo: string, file: string, env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
  return `${endpoint}/${repo}/resolve/main/${file.split('/').map(encodeURIComponent).join('/')}`;
}

export interface FetchModelOptions {
  url: string;
  /** Final path on the target; the bytes land in `<dest>.part` until they match. */
  dest: string;
  bytes: number;
  sha256: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Seconds between progress lines (default 10). */
  progressSeconds?: number;
  timeoutMs?: number;
}

/**
 * Downloads the model on the target itself (a pod fetches from Hugging Face at datacenter speed; nothing passes
 * through this machine), resuming a partial file, and keeps it only when size and SHA-256 match. Returns
 * 'skipped' when the file was already there and verified.
 */
export async function fetchModel(target: Target, options: FetchModelOptions): Promise<'skipped' | void> {
  const { url, dest, bytes, sha256, log } = options;
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 2 * 60 * 60_000;
  const script = posix.join(target.workDir, 'bin', 'fetch_model.py');
  await target.writeFile(script, FETCH_SCRIPT);
  let pending = '';
  const onStderr = (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) log.info(line.replace(/^fetch-model: /, 'model download: '));
  };
  const result = await target.exec(
    {
      argv: ['python3', script, url, dest, String(bytes), sha256],
      // The token travels in the environment, never in argv (argv appears in logs and error messages).
      env: { ...(env.HF_TOKEN ? { HF_TOKEN: env.HF_TOKEN } : {}), FETCH_MODEL_PROGRESS_SECONDS: String(options.progressSeconds ?? 10) },
      timeoutMs,
    },
    { onStderr },
    options.signal,
  );
  if (result.exitCode === 0) return /already verified/.test(result.stdout) ? 'skipped' : undefined;
  const said = result.stderr.split('\n').filter((l) => l.startsWith('fetch-model: ')).map((l) => l.slice('fetch-model: '.length));
  const last = said.at(-1) ?? (result.stderr.trim().split('\n').at(-1) || `exited with ${result.signal ?? result.exitCode}`);
  const step = 'download model';
  switch (result.exitCode) {
    case 3:
      throw new HarnessError(/HTTP 404/.test(last) ? 'config' : 'infrastructure', step, last, 'the URL is built from engine.modelRepo and engine.modelFile (and HF_ENDPOINT when set); fix them, or set engine.modelPath (BENCH_MODEL_PATH) to a local copy');
    case 4:
      throw new HarnessError('infrastructure', step, `${last} (expected ${bytes} bytes, sha256 ${sha256})`, 'the server sends another file than the one pinned: if you use another conversion on purpose, set engine.modelBytes and engine.modelSha256 to its size and checksum');
    case 127:
      throw new HarnessError('infrastructure', step, `python3 is missing on ${target.label}`, 'install it (Debian/Ubuntu: apt-get install -y python3)');
    default:
      if (looksOffline(last)) throw new HarnessError('infrastructure', step, `no network on ${target.label}: ${last}`, OFFLINE_HINT);
      throw new HarnessError('infrastructure', step, result.timedOut ? `timed out after ${Math.round(timeoutMs / 1000)} s: ${last}` : last, 'rerun: the download resumes where it stopped (the partial file is kept as .part)');
  }
}
