/** The harness logs through this, so a run can be silent in unit tests and verbose in the console. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

export function consoleLogger(prefix = '[bench]', verbose = process.env.BENCH_VERBOSE === '1'): Logger {
  return {
    info: (m) => console.log(`${prefix} ${m}`),
    warn: (m) => console.warn(`${prefix} ${m}`),
    debug: (m) => (verbose ? console.log(`${prefix} ${m}`) : undefined),
  };
}
