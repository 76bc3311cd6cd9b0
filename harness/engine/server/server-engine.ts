import { posix } from 'node:path';
import type { GenerationConfig, Prompt } from '../../config/schema.ts';
import type { Logger } from '../../log.ts';
import type { Target } from '../../targets/target.ts';
import { type EngineFlavour, serverArgv } from '../command.ts';
import type { GenerateOptions, Generation } from '../engine.ts';
import { SERVER_START_TIMEOUT_MS } from '../timeouts.ts';
import { generateViaServer } from './completion.ts';
import { type RunningServer, startServer } from './server-process.ts';

/**
 * `server` mode for any engine that ships llama-server: one process, one model load, every prompt a request.
 * The server is started with the settings that must be fixed at load (threads, batch, override-kv) and
 * restarted only when those change or the process died.
 */
export class ServerGenerator {
  #server?: RunningServer;
  #key?: string;

  constructor(
    private readonly target: Target,
    private readonly flavour: EngineFlavour,
    private readonly engine: { binDir: string; modelPath: string },
    private readonly log: Logger,
  ) {}

  /** Starts (or reuses) the server for these settings; returns it with its load time. */
  async ensure(gen: GenerationConfig): Promise<RunningServer> {
    const key = JSON.stringify([gen.threads, gen.batchSize, gen.overrideKv]);
    if (this.#server && this.#key === key && this.#server.alive()) return this.#server;
    if (this.#server) {
      this.log.warn(this.#server.alive() ? 'generation settings changed: restarting llama-server' : 'llama-server exited: starting it again');
      await this.#server.stop();
    }
    const argv = serverArgv(posix.join(this.engine.binDir, this.flavour.serverBinary), this.engine.modelPath, gen);
    this.#server = await startServer(this.target, argv, { log: this.log, readyTimeoutMs: SERVER_START_TIMEOUT_MS });
    this.#key = key;
    return this.#server;
  }

  /** The command line the server runs with: the started one, else the one `ensure(gen)` would start. */
  argv(gen: GenerationConfig): string[] {
    return this.#server?.argv ?? serverArgv(posix.join(this.engine.binDir, this.flavour.serverBinary), this.engine.modelPath, gen);
  }

  async generate(prompt: Prompt, gen: GenerationConfig, options?: GenerateOptions): Promise<Generation> {
    return generateViaServer(await this.ensure(gen), prompt, gen, options);
  }

  async close(): Promise<void> {
    await this.#server?.stop();
    this.#server = undefined;
  }
}
