/**
 * Known fix for bitnet.cpp 01eb415 with recent clang: src/ggml-bitnet-mad.cpp (around line 811) binds a
 * `const int8_t *` to `int8_t * y_col`, which newer compilers reject. Idempotent: an already-patched file
 * is returned unchanged.
 */
export const MAD_SOURCE = 'src/ggml-bitnet-mad.cpp';

export function patchMadSource(source: string): { text: string; changed: boolean } {
  const text = source.replace(/(^|[^\w])(?<!const\s)int8_t\s*\*\s*y_col\b/gm, '$1const int8_t * y_col');
  return { text, changed: text !== source };
}
