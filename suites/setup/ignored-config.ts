import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../../harness/config/load.ts';
import { ConfigError, HarnessError } from '../../harness/errors.ts';
import type { Logger } from '../../harness/log.ts';

/**
 * A project with a config of its own (the demo runs fixtures/configs/demo.json) does not read ./bench.config.json.
 * A user who edits that file and runs the demo must not believe it applied, and an invalid one is a mistake worth
 * stopping for: it is validated (the file alone, no BENCH_* overrides) and refused when invalid, named when valid.
 */
export function checkIgnoredConfig(file: string, usedInstead: string, options: { cwd?: string; log: Logger }): void {
  const cwd = options.cwd ?? process.cwd();
  if (!existsSync(resolve(cwd, file))) return;
  try {
    loadConfig({ file, env: {}, cwd });
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    throw new ConfigError(`./${file} is invalid (this project does not use it — it runs ${usedInstead} — but the file is wrong): ${error.message}`, `fix ./${file} or move it away; ${error.hint ?? ''}`.trim());
  }
  options.log.info(`./${file} is valid but not used: this project runs ${usedInstead} (BENCH_* variables still apply)`);
}
