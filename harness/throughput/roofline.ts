import { HarnessError } from '../errors.ts';
import type { Roofline } from '../results/types.ts';
import type { Target } from '../targets/target.ts';

/**
 * Memory bandwidth of the target, measured with python3 (on every bitnet.cpp host) in well under 2 s: copy a
 * 128 MiB buffer — larger than any CPU's last-level cache — into another, untimed once to touch every page, then
 * timed five times; the best copy counts, as 2 × size bytes moved (read + write, STREAM "copy" convention).
 * One thread: the ceiling for a `-t 1` run; a many-thread run can draw more than this (see docs/throughput.md).
 */
const PROBE = [
  'import json, time',
  'n = 128 << 20',
  'src = bytearray(b"\\x5a") * n',
  'dst = bytearray(n)',
  'ms, md = memoryview(src), memoryview(dst)',
  'md[:] = ms',
  'best = float("inf")',
  'for _ in range(5):',
  '    t = time.perf_counter(); md[:] = ms; best = min(best, time.perf_counter() - t)',
  'print(json.dumps({"bytes": 2 * n, "seconds": best}))',
].join('\n');

export const PROBE_DESCRIPTION = 'python3 memoryview copy of 128 MiB, best of 5, 1 thread, counted as read + write';

export async function probeMemoryBandwidth(target: Target): Promise<number> {
  const r = await target.exec({ argv: ['python3', '-c', PROBE], timeoutMs: 20_000 });
  const out = r.exitCode === 0 ? (JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { bytes?: number; seconds?: number }) : {};
  if (!out.bytes || !out.seconds || !(out.seconds > 0)) {
    throw new HarnessError('infrastructure', 'probe memory bandwidth', `the probe did not run on ${target.label} (exit ${r.exitCode}): ${r.stderr.trim().split('\n').at(-1) ?? ''}`, 'install python3 on the target, or ignore: the roofline is only reported when the probe runs');
  }
  return out.bytes / out.seconds;
}

/** Achieved tokens/s against bandwidth ÷ bytes per token, with bytes per token taken as the model file's size. */
export function rooflineOf(bandwidthBytesPerSecond: number, modelBytes: number, achievedTokensPerSecond: number | null): Roofline {
  const ceiling = bandwidthBytesPerSecond / modelBytes;
  return {
    bandwidthBytesPerSecond,
    probe: PROBE_DESCRIPTION,
    bytesPerToken: modelBytes,
    ceilingTokensPerSecond: ceiling,
    achievedTokensPerSecond,
    fraction: achievedTokensPerSecond === null ? null : achievedTokensPerSecond / ceiling,
  };
}
