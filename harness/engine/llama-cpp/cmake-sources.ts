import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { buildError } from './errors.ts';

/**
 * The C/C++ sources that a llama.cpp CMakeLists.txt lists for one target (`add_library(name …)` or
 * `add_executable(name …)`), as paths relative to the source root. Reading the lists from the source itself,
 * rather than copying them into our code, keeps the build right when llama.cpp adds a file to a tool.
 * Handles the plain form llama.cpp uses for tools: literal file names, optional STATIC/SHARED keyword.
 */
export async function cmakeTargetSources(sourceRoot: string, cmakeListsPath: string, target: string): Promise<string[]> {
  const text = await readFile(join(sourceRoot, cmakeListsPath), 'utf8');
  const body = targetBody(text, target);
  if (body === undefined) {
    throw buildError(
      `no add_library/add_executable(${target} …) in ${cmakeListsPath}`,
      'this llama.cpp version lays out its tools differently; update harness/engine/llama-cpp/recipes.ts',
    );
  }
  const folder = dirname(cmakeListsPath);
  return body
    .replace(/#.*$/gm, '')
    .split(/\s+/)
    .filter((word) => /\.(c|cc|cpp)$/.test(word))
    .map((file) => relative(sourceRoot, join(sourceRoot, folder, file)));
}

function targetBody(text: string, target: string): string | undefined {
  // `${TARGET}` is how llama.cpp's tool CMakeLists name the target after `set(TARGET name)`.
  const pattern = /add_(?:library|executable)\(\s*([^\s)]+)([^)]*)\)/g;
  let currentTarget: string | undefined;
  const setTarget = /set\(TARGET\s+([^\s)]+)\)/g;
  const sets = [...text.matchAll(setTarget)].map((m) => ({ at: m.index, name: m[1] }));
  for (const match of text.matchAll(pattern)) {
    currentTarget = sets.filter((s) => s.at < match.index).at(-1)?.name;
    const name = match[1] === '${TARGET}' ? currentTarget : match[1];
    if (name === target) return match[2];
  }
  return undefined;
}
