import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildError } from './errors.ts';
import type { CompileInput } from './recipes.ts';
import { runProcess, tail } from './run-process.ts';

export interface CompileContext {
  cxx: string;
  sourceRoot: string;
  generatedDir: string;
  objectDir: string;
  includeDirs: string[];
  defines: string[];
  jobs: number;
  onProgress: (line: string) => void;
}

/**
 * Compiles each input to an object file, `jobs` at a time, and returns the object paths in input order.
 * An object is written under a temporary name and renamed when complete, so one that exists is whole and is
 * reused: a build interrupted half-way only recompiles what it had not finished.
 */
export async function compileAll(inputs: CompileInput[], context: CompileContext): Promise<string[]> {
  const objects = inputs.map((input) => objectPath(input, context.objectDir));
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      const input = inputs[index]!;
      const object = objects[index]!;
      if (!existsSync(object)) await compileOne(input, object, context);
      done += 1;
      context.onProgress(`compile [${done}/${inputs.length}] ${input.file}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(context.jobs, inputs.length)) }, worker));
  return objects;
}

function objectPath(input: CompileInput, objectDir: string): string {
  const name = (input.generated ? `gen/${input.file}` : input.file).replaceAll('/', '__');
  return join(objectDir, `${name}.o`);
}

async function compileOne(input: CompileInput, object: string, context: CompileContext): Promise<void> {
  const source = join(input.generated ? context.generatedDir : context.sourceRoot, input.file);
  const includes = [...context.includeDirs.map((dir) => join(context.sourceRoot, dir)), context.generatedDir];
  const defines = [...context.defines, ...(input.defines ?? [])];
  const languageFlags = input.language === 'c' ? ['-x', 'c', '-std=c11', '-w'] : ['-x', 'c++', '-std=c++17'];
  const partial = `${object}.partial`;
  await mkdir(dirname(object), { recursive: true });
  const args = [...languageFlags, '-O2', '-fPIC', '-pthread', ...defines.map((d) => `-D${d}`), ...includes.map((i) => `-I${i}`), '-c', source, '-o', partial];
  const result = await runProcess(context.cxx, args);
  if (result.exitCode !== 0) {
    await rm(partial, { force: true });
    throw buildError(`compiling ${input.file} failed:\n${tail(result.stderr, 20)}`, `the full command was: ${context.cxx} ${args.join(' ')}`);
  }
  await rename(partial, object);
}

/**
 * Links an executable beside the prebuilt libraries with rpath $ORIGIN, so it finds libllama/libggml and
 * ggml finds its CPU backends (it looks in the executable's folder) wherever the folder is.
 */
export async function linkExecutable(cxx: string, objects: string[], binDir: string, libraries: string[], output: string): Promise<void> {
  const partial = `${output}.partial`;
  const args = ['-o', partial, ...objects, `-L${binDir}`, ...libraries.map((lib) => `-l:${lib}`), '-Wl,-rpath,$ORIGIN', '-pthread'];
  const result = await runProcess(cxx, args);
  if (result.exitCode !== 0) {
    await rm(partial, { force: true });
    throw buildError(`linking ${output} failed:\n${tail(result.stderr, 20)}`, 'the prebuilt libraries may not match the llama.cpp source; reinstall node-llama-cpp with `npm ci`');
  }
  await rename(partial, output);
}
