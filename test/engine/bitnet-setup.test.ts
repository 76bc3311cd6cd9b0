import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeGguf } from '../../harness/models/gguf/writer.ts';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { benchConfigSchema } from '../../harness/config/schema.ts';
import { BitnetCppEngine } from '../../harness/engine/bitnet-cpp/index.ts';
import { ensureVenv } from '../../harness/engine/bitnet-cpp/venv.ts';
import { HarnessError } from '../../harness/errors.ts';
import { silentLogger } from '../../harness/log.ts';
import { PhaseRecorder } from '../../harness/run/phases.ts';
import { LocalTarget } from '../../harness/targets/local.ts';

/**
 * bitnet.cpp's setup, run for real against a local git repository laid out like microsoft/BitNet (the real one
 * cannot be cloned offline; the real fork's own build is test/engine/bitnet-fork*.test.ts): pinned checkout with
 * submodules, the clang fix, the harness's venv, the kernel codegen and a real CMake + clang build of a stand-in
 * llama-cli, while the model downloads from a loopback stand-in of Hugging Face.
 *
 * python3 on PATH is a stand-in for Debian 12's / Ubuntu 24.04's: it refuses `-m pip install` with PEP 668's
 * error, as those systems do, and hands everything else to the real interpreter. The venv it creates has a
 * python that accepts pip (recording what it was asked to install). So any pip outside the venv fails the run.
 */
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' }).trim();
const realPython = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const realVersion = execFileSync(realPython, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();

const PEP_668 = `error: externally-managed-environment

× This environment is externally managed
╰─> To install Python packages system-wide, try apt install
    python3-xyz, where xyz is the package you are trying to
    install.`;
const NO_ENSUREPIP = `The virtual environment was not created successfully because ensurepip is not
available.  On Debian/Ubuntu systems, you need to install the python3-venv
package using the following command.

    apt install python${realVersion}-venv

You may need to use sudo with that command.  After installing the python3-venv
package, recreate your virtual environment.`;

/** A folder with a `python3` stand-in; every call is appended to `calls` (`system …` or `venv …`). */
function pythonStandIn(options: { ensurepip: boolean }): { bin: string; calls: () => string[] } {
  const bin = mkdtempSync(join(tmpdir(), 'python-stand-in-'));
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  const venvPython = [
    '#!/bin/sh',
    `echo "venv $*" >> '${log}'`,
    'venv=$(dirname "$(dirname "$0")")',
    'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then',
    '  [ "$3" = "install" ] && touch "$venv/gguf-installed"',
    '  echo "pip 24.0 from $venv"; exit 0',
    'fi',
    'if [ "$1" = "-c" ] && [ "$2" = "import gguf" ]; then [ -f "$venv/gguf-installed" ]; exit $?; fi',
    `exec '${realPython}' "$@"`,
  ].join('\n');
  const system = [
    '#!/bin/sh',
    `echo "system $*" >> '${log}'`,
    'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then',
    `  cat >&2 <<'EOF'\n${PEP_668}\nEOF`,
    '  exit 1',
    'fi',
    'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then',
    '  for arg; do dir="$arg"; done',
    ...(options.ensurepip
      ? ['  mkdir -p "$dir/bin" && echo "home = /usr/bin" > "$dir/pyvenv.cfg"', `  cat > "$dir/bin/python" <<'EOF'\n${venvPython}\nEOF`, '  chmod +x "$dir/bin/python"', '  exit 0']
      : ['  mkdir -p "$dir/bin"', `  echo "${NO_ENSUREPIP}"`, '  exit 1']),
    'fi',
    `exec '${realPython}' "$@"`,
  ].join('\n');
  writeFileSync(join(bin, 'python3'), system);
  chmodSync(join(bin, 'python3'), 0o755);
  return { bin, calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

let upstream: string;
let pinned: string;
let hf: Server;
// The served model starts as a GGUF (the project's writer: no tensors, no metadata), so the engine can read its name.
const emptyGguf = writeGguf({ metadata: [], tensors: [] });
const model = Buffer.concat([emptyGguf, randomBytes(256 * 1024 - emptyGguf.length)]);
const modelSha256 = createHash('sha256').update(model).digest('hex');
const modelRequests: string[] = [];
const saved = { PATH: process.env.PATH, HF_ENDPOINT: process.env.HF_ENDPOINT };

beforeAll(async () => {
  upstream = mkdtempSync(join(tmpdir(), 'bitnet-upstream-'));
  git(upstream, 'init', '-q', '-b', 'main');
  mkdirSync(join(upstream, 'src'));
  mkdirSync(join(upstream, 'utils'));
  mkdirSync(join(upstream, '3rdparty/llama.cpp/gguf-py'), { recursive: true });
  const mad = ['// ggml-bitnet-mad.cpp', ...Array.from({ length: 809 }, (_, i) => `// line ${i + 2}`), '    int8_t * y_col = y + col * by;', '}'].join('\n');
  writeFileSync(join(upstream, 'src/ggml-bitnet-mad.cpp'), mad);
  writeFileSync(join(upstream, 'requirements.txt'), 'torch~=2.2.1\ntransformers\n');
  writeFileSync(join(upstream, '3rdparty/llama.cpp/gguf-py/pyproject.toml'), '[tool.poetry]\nname = "gguf"\n');
  // The real codegen writes the kernels header from its arguments, with the standard library only.
  writeFileSync(join(upstream, 'utils/codegen_tl2.py'), 'import os, sys\nos.makedirs("include", exist_ok=True)\nopen("include/bitnet-lut-kernels.h", "w").write("// " + " ".join(sys.argv[1:]) + "\\n")\n');
  writeFileSync(join(upstream, 'main.c'), '#include <stdio.h>\nint main(void) { fprintf(stderr, "version: 1 (stand-in)\\n"); return 0; }\n');
  writeFileSync(join(upstream, 'CMakeLists.txt'), 'cmake_minimum_required(VERSION 3.10)\nproject(stand_in C)\nset(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)\nadd_executable(llama-cli main.c)\n');
  git(upstream, 'add', '-A');
  git(upstream, 'commit', '-qm', 'pinned');
  pinned = git(upstream, 'rev-parse', '--short=7', 'HEAD');
  writeFileSync(join(upstream, 'requirements.txt'), '# a later upstream commit\n');
  git(upstream, 'commit', '-qam', 'later HEAD (wrong FFN activation upstream)');

  // Slow enough (0.8 s before the first byte) that a download done before or after the build would show.
  hf = createServer((req, res) => {
    modelRequests.push(req.url ?? '');
    if (req.url !== '/microsoft/BitNet-b1.58-2B-4T-gguf/resolve/main/ggml-model-i2_s.gguf') return void res.writeHead(404).end();
    setTimeout(() => res.writeHead(200, { 'Content-Length': model.length }).end(model), 800);
  });
  await new Promise<void>((resolve) => hf.listen(0, '127.0.0.1', resolve));
  process.env.HF_ENDPOINT = `http://127.0.0.1:${(hf.address() as AddressInfo).port}`;
});

afterAll(() => {
  hf?.close();
  process.env.HF_ENDPOINT = saved.HF_ENDPOINT;
});

afterEach(() => {
  process.env.PATH = saved.PATH;
});

function setup(overrides: Record<string, unknown> = {}, python = pythonStandIn({ ensurepip: true })) {
  process.env.PATH = `${python.bin}:${saved.PATH}`;
  const work = mkdtempSync(join(tmpdir(), 'bitnet-work-'));
  const cfg = benchConfigSchema.parse({ engine: { kind: 'bitnet.cpp', repo: upstream, commit: pinned, modelBytes: model.length, modelSha256, ...overrides } }).engine;
  const target = new LocalTarget(work);
  const phases = new PhaseRecorder(silentLogger);
  const prepare = () => new BitnetCppEngine(cfg as Extract<typeof cfg, { kind: 'bitnet.cpp' }>).prepare({ target, log: silentLogger, phases });
  return { work, phases, prepare, calls: python.calls };
}

const pipCalls = (calls: string[]) => calls.filter((c) => / -m pip\b/.test(c));

/** Whether /usr/bin/python3 is a real PEP 668 system Python (Debian 12, Ubuntu 24.04: this machine and CI). */
const systemPythonIsExternallyManaged = (() => {
  try {
    return execFileSync('/usr/bin/python3', ['-c', 'import os, sysconfig; print(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'], { encoding: 'utf8' }).trim() === 'True';
  } catch {
    return false;
  }
})();

describe('bitnet.cpp engine setup', () => {
  it('clones pinned, patches, builds in its own venv while the model downloads; no pip outside the venv; a rerun skips everything', async () => {
    const { work, phases, prepare, calls } = setup();
    const engine = await prepare();
    const dir = join(work, 'BitNet');

    expect(git(dir, 'rev-parse', '--short=7', 'HEAD')).toBe(pinned);
    expect(readFileSync(join(dir, 'src/ggml-bitnet-mad.cpp'), 'utf8').split('\n')[810]).toBe('    const int8_t * y_col = y + col * by;');
    expect(readFileSync(join(dir, 'include/bitnet-lut-kernels.h'), 'utf8')).toBe('// --model bitnet_b1_58-3B --BM 160,320,320 --BK 96,96,96 --bm 32,32,32\n');
    expect(engine.info.version).toBe('version: 1 (stand-in)');
    expect(readFileSync(engine.info.modelPath).equals(model)).toBe(true);
    expect(engine.info.modelPath).toBe(join(dir, 'models/BitNet-b1.58-2B-4T/ggml-model-i2_s.gguf'));

    // pip ran once, from the harness's venv, for gguf-py only: never system python, never requirements.txt or torch.
    expect(pipCalls(calls())).toEqual([`venv -m pip --version`, `venv -m pip install --disable-pip-version-check --no-input ${dir}/3rdparty/llama.cpp/gguf-py`]);
    expect(calls().filter((c) => /requirements|torch|setup_env/.test(c))).toEqual([]);
    expect(calls()).toContain('venv utils/codegen_tl2.py --model bitnet_b1_58-3B --BM 160,320,320 --BK 96,96,96 --bm 32,32,32');
    expect(calls()).toContain(`system -m venv --clear ${work}/venv`);

    const byStep = new Map(phases.steps.map((s) => [s.step, s]));
    expect([...byStep.values()].filter((s) => s.status !== 'ok').map((s) => s.step)).toEqual([]);
    const download = byStep.get('download microsoft/BitNet-b1.58-2B-4T-gguf/ggml-model-i2_s.gguf')!;
    const venv = byStep.get('create Python environment')!;
    const build = byStep.get('build llama-cli')!;
    expect(download.phase).toBe('model-download');
    // Overlap: the build started before the download ended, and the download started before the build ended.
    const t = (iso: string) => Date.parse(iso);
    expect(t(venv.startedAt)).toBeLessThan(t(download.startedAt) + download.ms);
    expect(t(download.startedAt)).toBeLessThan(t(build.startedAt) + build.ms);

    // Second run: everything already done is skipped, and nothing is fetched again.
    phases.steps.length = 0;
    modelRequests.length = 0;
    await prepare();
    expect(phases.steps.filter((s) => s.status === 'skipped').map((s) => s.step).sort()).toEqual(
      [`clone ${upstream}@${pinned}`, 'apply clang fix to ggml-bitnet-mad.cpp', 'create Python environment', 'pip install 3rdparty/llama.cpp/gguf-py (into the venv)', 'download microsoft/BitNet-b1.58-2B-4T-gguf/ggml-model-i2_s.gguf', 'build llama-cli'].sort(),
    );
    expect(modelRequests).toEqual([]);
    expect(pipCalls(calls()).filter((c) => !c.startsWith('venv '))).toEqual([]);
  }, 120_000);

  // Skipped only outside CI: CI runs on Debian 12 (system-deps.sh installs python3-venv), where a skip would hide a
  // python3 that is missing or no longer PEP 668.
  it.skipIf(!systemPythonIsExternallyManaged && !process.env.CI)('with the real externally-managed python3 of this Debian machine: the venv gets its own pip', async () => {
    process.env.PATH = `/usr/bin:${saved.PATH}`;
    const target = new LocalTarget(mkdtempSync(join(tmpdir(), 'bitnet-venv-')));
    const refused = await target.exec({ argv: ['python3', '-m', 'pip', 'install', '--dry-run', 'gguf'] });
    expect(refused.stderr).toMatch(/externally-managed-environment/);
    const { env, created } = await ensureVenv(target);
    expect(created).toBe(true);
    expect(env.python).toBe(join(target.workDir, 'venv/bin/python'));
    expect((await target.exec({ argv: [env.python, '-m', 'pip', '--version'] })).stdout).toContain(join(target.workDir, 'venv'));
    expect((await ensureVenv(target)).created).toBe(false);
  }, 120_000);

  it('says exactly what to apt-install when python3 has no venv/ensurepip, and installs nothing', async () => {
    const { prepare, calls } = setup({}, pythonStandIn({ ensurepip: false }));
    const error = (await prepare().catch((e: unknown) => e)) as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.step).toBe('create Python environment');
    expect(error.message).toMatch(new RegExp(`python3 ${realVersion.replace('.', '\\.')} on local cannot create a virtual environment: its venv/ensurepip module is not installed`));
    expect(error.hint).toContain(`apt-get install -y python${realVersion}-venv`);
    expect(pipCalls(calls())).toEqual([]);
  }, 60_000);

  it('a prebuilt folder (engine.dir) gets the download and nothing else: no venv, no pip, no build', async () => {
    const prebuilt = mkdtempSync(join(tmpdir(), 'bitnet-prebuilt-'));
    mkdirSync(join(prebuilt, 'build/bin'), { recursive: true });
    writeFileSync(join(prebuilt, 'build/bin/llama-cli'), '#!/bin/sh\necho "version: 2 (prebuilt)" >&2\n');
    chmodSync(join(prebuilt, 'build/bin/llama-cli'), 0o755);
    const { phases, prepare, calls } = setup({ dir: prebuilt });
    const engine = await prepare();
    expect(engine.info.version).toBe('version: 2 (prebuilt)');
    expect(readFileSync(join(prebuilt, 'models/BitNet-b1.58-2B-4T/ggml-model-i2_s.gguf')).equals(model)).toBe(true);
    expect(phases.steps.map((s) => s.step)).toEqual(['check CPU', 'check python3', 'download microsoft/BitNet-b1.58-2B-4T-gguf/ggml-model-i2_s.gguf', 'check engine commit', 'read model name']);
    expect(calls().filter((c) => /pip|venv/.test(c))).toEqual([]);
  });

  it('a download that fails (404) ends the setup with its own error, naming the URL, and stops the build', async () => {
    const { phases, prepare } = setup({ modelFile: 'ggml-model-missing.gguf' });
    const error = (await prepare().catch((e: unknown) => e)) as HarnessError;
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ kind: 'config', step: 'download model' });
    expect(error.message).toContain(`${process.env.HF_ENDPOINT}/microsoft/BitNet-b1.58-2B-4T-gguf/resolve/main/ggml-model-missing.gguf`);
    expect(phases.failedStep()?.phase).toBe('model-download');
  }, 60_000);

  it('checks a model given by path before building anything for it', async () => {
    const { work, phases, prepare } = setup({ modelPath: join(tmpdir(), 'no-such-dir', 'ggml-model-i2_s.gguf') });
    await expect(prepare()).rejects.toThrow(/ggml-model-i2_s\.gguf does not exist/);
    expect(phases.steps.map((s) => s.step)).toEqual(['check CPU', 'verify model size']);
    // The published file name is held to the published size…
    mkdirSync(join(work, 'short'));
    const wrongSize = join(work, 'short', 'ggml-model-i2_s.gguf');
    writeFileSync(wrongSize, 'not a 1.19 GB model');
    const again = setup({ modelPath: wrongSize });
    await expect(again.prepare()).rejects.toThrow(/has 19 bytes, expected 262144/);
    expect(existsSync(join(again.work, 'BitNet'))).toBe(false);
    // …any other file must be a GGUF, also checked before the build.
    const notGguf = join(work, 'small.gguf');
    writeFileSync(notGguf, 'not a 1.19 GB model');
    const third = setup({ modelPath: notGguf });
    await expect(third.prepare()).rejects.toThrow(/small\.gguf: not a GGUF file/);
    expect(existsSync(join(third.work, 'BitNet'))).toBe(false);
  });

  it('refuses an existing checkout at another commit instead of silently using it', async () => {
    const { work, prepare } = setup();
    git(work, 'clone', '-q', upstream, 'BitNet');
    await expect(prepare()).rejects.toThrow(/checked out at [0-9a-f]+, not the pinned/);
  });

  it('refuses a CPU without AVX2 unless told to warn', async () => {
    const { checkCpu } = await import('../../harness/engine/bitnet-cpp/setup.ts');
    const cfg = benchConfigSchema.parse({}).engine as Parameters<typeof checkCpu>[1];
    const m1 = { hostname: 'mac', os: 'Darwin', arch: 'arm64', cpuModel: 'Apple M1', cores: 8, memoryBytes: 8 << 30, flags: { avx2: false, avx512: false, neon: true } };
    expect(() => checkCpu(m1, cfg, () => {})).toThrow(/arm64 is not x86_64 .*NEON kernels produce word salad/);
    const warnings: string[] = [];
    checkCpu(m1, { ...cfg, cpuCheck: 'warn' }, (w) => warnings.push(w));
    expect(warnings[0]).toMatch(/running anyway/);
    const oldXeon = { ...m1, os: 'Linux', arch: 'x86_64', cpuModel: 'Intel Xeon E5-2670', flags: { avx2: false, avx512: false, neon: false } };
    expect(() => checkCpu(oldXeon, cfg, () => {})).toThrow(/no AVX2 .*#547/);
  });
});
