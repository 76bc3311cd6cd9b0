/**
 * `npm run build:engine [-- --force] [--tools llama-completion,llama-server,llama-bench] [--jobs N]`
 * Builds (or finds in the cache) the llama.cpp engine and prints where it is.
 */
import { parseArgs } from 'node:util';
import { HarnessError } from '../../errors.ts';
import { consoleLogger } from '../../log.ts';
import { ensureLlamaCppBuild, type ToolName } from './build.ts';
import { TOOL_NAMES } from './recipes.ts';

const log = consoleLogger('[build:engine]');

function parseTools(list: string | undefined): ToolName[] | undefined {
  if (list === undefined) return undefined;
  const tools = list.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tools.filter((t) => !(TOOL_NAMES as readonly string[]).includes(t));
  if (unknown.length > 0) throw new HarnessError('config', 'read command line', `unknown tool(s): ${unknown.join(', ')}`, `choose from ${TOOL_NAMES.join(', ')}`);
  return tools as ToolName[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      force: { type: 'boolean', default: false },
      tools: { type: 'string' },
      jobs: { type: 'string' },
      'cache-dir': { type: 'string' },
    },
  });
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) {
    throw new HarnessError('config', 'read command line', `--jobs must be a positive whole number, got '${values.jobs}'`);
  }
  const build = await ensureLlamaCppBuild({
    force: values.force,
    tools: parseTools(values.tools),
    jobs,
    cacheDir: values['cache-dir'],
    log,
    onProgress: (line) => log.info(line),
  });
  if (build.fromCache) log.info(`found in the cache in ${build.buildSeconds.toFixed(2)} s (use --force to rebuild)`);
  console.log(
    JSON.stringify(
      { commit: build.commit, version: build.version, binDir: build.binDir, tools: build.tools, toolBuildSeconds: build.toolBuildSeconds, prebuiltPackage: build.prebuiltPackage, fromCache: build.fromCache },
      null,
      2,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof HarnessError ? error.describe() : error);
  process.exitCode = 1;
});
