import { posix } from 'node:path';
import { type EngineFlavour, generationArgv } from './command.ts';
import type { EngineContext, EngineInfo, PreparedEngine } from './engine.ts';
import { generateInProcess, promptFileOf } from './process-generation.ts';
import { ServerGenerator } from './server/server-engine.ts';

/**
 * The last step of every engine's `prepare`: an engine that is set up, in either mode. In server mode the model
 * is loaded once here, recorded as its own phase (process mode pays the load in every prompt).
 */
export async function preparedEngine(ctx: EngineContext, flavour: EngineFlavour, info: EngineInfo, mode: PreparedEngine['mode']): Promise<PreparedEngine> {
  const { target, log, phases, gen } = ctx;
  if (mode === 'server') {
    const server = new ServerGenerator(target, flavour, info, log);
    if (gen) await phases.step('load', 'start llama-server (load model once)', () => server.ensure(gen));
    return { info, mode, generate: (prompt, g, options) => server.generate(prompt, g, options), commandLine: (g) => server.argv(g), close: () => server.close() };
  }
  return {
    info,
    mode,
    generate: (prompt, g, options) => generateInProcess(target, flavour, info, prompt, g, options),
    commandLine: (g, prompt = { id: 'PROMPT_ID' }) => generationArgv(flavour, posix.join(info.binDir, flavour.generateBinary), info.modelPath, promptFileOf(target, prompt), g),
    close: async () => {},
  };
}
