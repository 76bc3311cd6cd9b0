import { printable } from './reports/printable.ts';

/** The harness logs through this, so a run can be silent in unit tests and verbose in the console. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** Log lines quote engine output (errors, stderr tails): its control bytes are shown escaped, never sent raw. */
export function consoleLogger(prefix = '[bench]', verbose = process.env.BENCH_VERBOSE === '1'): Logger {
  return {
    info: (m) => console.log(`${prefix} ${printable(m)}`),
    warn: (m) => console.warn(`${prefix} ${printable(m)}`),
    debug: (m) => (verbose ? console.log(`${prefix} ${printable(m)}`) : undefined),
  };
}
