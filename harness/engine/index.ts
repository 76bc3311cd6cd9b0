import type { EngineConfig } from '../config/schema.ts';
import { BitnetCppEngine } from './bitnet-cpp/index.ts';
import type { Engine } from './engine.ts';
import { LlamaCppEngine } from './llama-cpp/engine.ts';

export function createEngine(cfg: EngineConfig): Engine {
  switch (cfg.kind) {
    case 'bitnet.cpp':
      return new BitnetCppEngine(cfg);
    case 'llama.cpp':
      return new LlamaCppEngine(cfg);
  }
}
