import { TOOL_TIMEOUT_MS } from '../timeouts.ts';
import { posix } from 'node:path';
import { HarnessError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { readGgufMetadataPrefix } from '../../models/gguf/read-metadata.ts';
import type { Target } from '../../targets/target.ts';
import { commitOf, flavours } from '../command.ts';
import { checkEngineCommit } from './fork-commits.ts';
import { exists, run } from './setup.ts';

export interface CheckedEngine {
  /** `llama-cli --version`'s line, e.g. `version: 3947 (406a5036)`. */
  version: string;
  /** The BitNet commit the folder was shown to be; `unknown` when nothing says. */
  commit: string;
  forkCommit: string;
  /** For the console (already logged) and every report. */
  warnings: string[];
}

/**
 * What an engine folder really is: its fork commit from `llama-cli --version` (stderr `version: 3947 (406a5036)`),
 * its BitNet commit from git when it is a checkout, compared with the pin (see fork-commits.ts). A mismatch is
 * logged loudly and returned for the reports, or thrown when engine.commit was set explicitly.
 */
export async function checkEngineFolder(target: Target, log: Logger, dir: string, llamaCli: string, pin: { commit: string; commitFromConfig: boolean }): Promise<CheckedEngine> {
  const version = await run(target, 'read engine version', { argv: [llamaCli, '--version'] });
  const versionLine = `${version.stderr}\n${version.stdout}`.match(/version:.*$/m)?.[0] ?? 'unknown';
  const gitHead = async (repo: string, length: number) =>
    (await exists(target, 'check engine commit', posix.join(repo, '.git'))) ? (await target.exec({ argv: ['git', '-C', repo, 'rev-parse', `--short=${length}`, 'HEAD'], timeoutMs: TOOL_TIMEOUT_MS })).stdout.trim() || undefined : undefined;
  let forkCommit = commitOf(versionLine);
  if (forkCommit === 'unknown') forkCommit = (await gitHead(posix.join(dir, '3rdparty/llama.cpp'), 8)) ?? 'unknown';
  const identity = checkEngineCommit({ dir, forkCommit, bitnetGitCommit: await gitHead(dir, 7) }, pin);
  const warnings = identity.warning ? [`engine commit: ${identity.warning}`] : [];
  for (const w of warnings) log.warn(`WARNING ${w}`);
  return { version: versionLine, commit: identity.bitnetCommit, forkCommit: identity.forkCommit, warnings };
}

/** Bytes read from the start of a model for its metadata: general.name comes long before the vocabulary. */
const METADATA_PREFIX_BYTES = 256 * 1024;

/**
 * The model's own name (GGUF `general.name`), read on the target from the file's first bytes; the file name when
 * the GGUF has none. A file that is not a GGUF is an error naming it: the engine could not load it either.
 */
export async function modelNameOf(target: Target, modelPath: string): Promise<string> {
  const script = 'import base64,sys; sys.stdout.write(base64.b64encode(open(sys.argv[1],"rb").read(int(sys.argv[2]))).decode())';
  const result = await run(target, 'read model metadata', { argv: ['python3', '-c', script, modelPath, String(METADATA_PREFIX_BYTES)] });
  let name: unknown;
  try {
    name = readGgufMetadataPrefix(Buffer.from(result.stdout.trim(), 'base64')).values.get('general.name');
  } catch (error) {
    throw new HarnessError('infrastructure', 'read model metadata', `${modelPath}: ${(error as Error).message}`, 'set engine.modelPath (BENCH_MODEL_PATH) to a GGUF model such as ggml-model-i2_s.gguf');
  }
  return typeof name === 'string' && name.trim() ? name.trim() : posix.basename(modelPath, '.gguf');
}

/** Server mode needs the fork's llama-server, which setup_env.py builds only from microsoft/BitNet commits of May 2025 on. */
export async function requireServerBinary(target: Target, binDir: string, commit: string): Promise<void> {
  const server = posix.join(binDir, flavours['bitnet.cpp'].serverBinary);
  if (await exists(target, 'check llama-server', server)) return;
  throw new HarnessError(
    'config',
    'check llama-server',
    `${server} does not exist: setup_env.py builds llama-server only from microsoft/BitNet commits of May 2025 on (this folder is ${commit})`,
    `set engine.mode to "process", or build the server in ${posix.dirname(posix.dirname(binDir))}: cmake -B build -DLLAMA_BUILD_SERVER=ON (with setup_env.py's other flags) && cmake --build build --config Release --target llama-server`,
  );
}
