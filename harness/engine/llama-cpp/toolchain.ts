import { buildError } from './errors.ts';
import { ProgramNotFoundError, runProcess } from './run-process.ts';

export interface Toolchain {
  /** The C++ compiler driver; it also compiles the few C files (`-x c`) and links. */
  cxx: string;
  /** e.g. `GNU 12.2.0`, written into the tools' build info like llama.cpp's cmake does. */
  compilerId: string;
  /** e.g. `x86_64-linux-gnu`. */
  target: string;
}

/** Finds the compiler (`options.compiler`, else $CXX, else g++) and git, or says what to install. */
export async function detectToolchain(compiler = process.env.CXX || 'g++'): Promise<Toolchain> {
  const version = await probe(compiler, ['-dumpfullversion'], `C++ compiler '${compiler}' not found`, 'install one (`apt-get install g++`) or set CXX to its path');
  const target = await probe(compiler, ['-dumpmachine'], `C++ compiler '${compiler}' did not report its target`, 'set CXX to a working g++ or clang++');
  await probe('git', ['--version'], 'git not found (needed to unpack the llama.cpp source bundle)', 'install git (`apt-get install git`)');
  const family = /clang/.test(compiler) ? 'Clang' : 'GNU';
  return { cxx: compiler, compilerId: `${family} ${version}`, target };
}

async function probe(program: string, args: string[], message: string, hint: string): Promise<string> {
  try {
    const result = await runProcess(program, args);
    if (result.exitCode === 0) return result.stdout.trim();
    throw buildError(`${message}: '${program} ${args.join(' ')}' exited with ${result.exitCode}`, hint);
  } catch (error) {
    if (error instanceof ProgramNotFoundError) throw buildError(message, hint, error);
    throw error;
  }
}
