import type { EngineConfig } from '../config/schema.ts';
import { HarnessError } from '../errors.ts';
import { BitnetCppEngine } from './bitnet-cpp/index.ts';
import type { Engine } from './engine.ts';

export function createEngine(cfg: EngineConfig): Engine {
  switch (cfg.kind) {
    case 'bitnet.cpp':
      return new BitnetCppEngine(cfg);
    default:
      throw new HarnessError('config', 'create engine', `engine "${cfg.kind}" is not available in this build`, 'use engine.kind "bitnet.cpp"');
  }
}
