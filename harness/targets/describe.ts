import { type CpuFlags, type MachineInfo, type Target, TOOL_TIMEOUT_MS } from './target.ts';

/**
 * Describes a machine by running a few read-only commands on it, so local, SSH and RunPod targets share
 * one implementation. Linux reads /proc; macOS (an M1 on the desk over SSH) reads sysctl.
 */
export async function describeMachine(target: Pick<Target, 'exec'>): Promise<MachineInfo> {
  const uname = await target.exec({ argv: ['uname', '-snm'], timeoutMs: TOOL_TIMEOUT_MS });
  const [os = 'unknown', hostname = 'unknown', arch = 'unknown'] = uname.stdout.trim().split(/\s+/);
  if (os === 'Darwin') {
    const sysctl = await target.exec({ argv: ['sysctl', 'machdep.cpu.brand_string', 'hw.ncpu', 'hw.physicalcpu', 'hw.memsize', 'hw.optional.neon'], timeoutMs: TOOL_TIMEOUT_MS });
    return { hostname, os, arch, ...parseSysctl(sysctl.stdout) };
  }
  const cpuinfo = await target.exec({ argv: ['cat', '/proc/cpuinfo'], timeoutMs: TOOL_TIMEOUT_MS });
  const meminfo = await target.exec({ argv: ['cat', '/proc/meminfo'], timeoutMs: TOOL_TIMEOUT_MS });
  const nproc = await target.exec({ argv: ['nproc'], timeoutMs: TOOL_TIMEOUT_MS });
  // A container's CPU limit is a CFS quota that nproc does not see (RunPod CPU pods): cgroup v2, then v1.
  const quota = await target.exec({ argv: ['cat', '/sys/fs/cgroup/cpu.max'], timeoutMs: TOOL_TIMEOUT_MS });
  const quotaV1 = quota.exitCode === 0 ? undefined : await target.exec({ argv: ['cat', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us', '/sys/fs/cgroup/cpu/cpu.cfs_period_us'], timeoutMs: TOOL_TIMEOUT_MS });
  const cpu = parseCpuinfo(cpuinfo.stdout, arch);
  const cores = Number.parseInt(nproc.stdout, 10) || cpu.processors;
  const quotaCpus = parseCpuQuota(quota.exitCode === 0 ? quota.stdout : (quotaV1?.exitCode === 0 ? quotaV1.stdout.trim().split(/\s+/).join(' ') : ''));
  const physicalCores = Math.max(1, Math.min(cores, cpu.physicalCores || cores, quotaCpus ?? Infinity));
  return { hostname, os, arch, cpuModel: cpu.model, cores, physicalCores, flags: cpu.flags, memoryBytes: parseMeminfo(meminfo.stdout) };
}

/** CPUs a cgroup quota allows, rounded up: `200000 100000` → 2; `max 100000` (no limit) or nothing → undefined. */
export function parseCpuQuota(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/).map(Number);
  if (!quota || !period || quota <= 0 || period <= 0) return undefined;
  return Math.ceil(quota / period);
}

export function parseCpuinfo(text: string, arch: string): { model: string; processors: number; physicalCores: number; flags: CpuFlags } {
  const field = (name: string) => text.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'mi'))?.[1]?.trim();
  // x86 names the CPU in "model name"; arm64 kernels often only give "CPU implementer"/"Hardware".
  const model = field('model name') ?? field('Hardware') ?? field('cpu model') ?? (field('CPU implementer') ? `ARM implementer ${field('CPU implementer')} part ${field('CPU part') ?? '?'}` : 'unknown');
  const flagWords = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/));
  const processors = (text.match(/^processor\s*:/gim) ?? []).length;
  const isArm = /^(aarch64|arm64)/.test(arch);
  // Hyper-threads share a core: count distinct (physical id, core id) pairs; without them (ARM, some VMs) each processor is a core.
  const blocks = text.split(/\n\s*\n/).filter((b) => /^processor\s*:/im.test(b));
  const coreIds = new Set(blocks.map((b) => `${b.match(/^physical id\s*:\s*(\d+)/im)?.[1] ?? '?'}:${b.match(/^core id\s*:\s*(\d+)/im)?.[1] ?? '?'}`));
  const physicalCores = blocks.length && !coreIds.has('?:?') ? coreIds.size : processors;
  return {
    model,
    processors,
    physicalCores,
    flags: {
      avx2: flagWords.has('avx2'),
      avx512: [...flagWords].some((f) => f.startsWith('avx512')),
      // ASIMD ("asimd") is NEON on AArch64, where it is mandatory.
      neon: flagWords.has('neon') || flagWords.has('asimd') || isArm,
    },
  };
}

export function parseMeminfo(text: string): number {
  const kib = text.match(/^MemTotal:\s*(\d+)\s*kB/m)?.[1];
  return kib ? Number(kib) * 1024 : 0;
}

export function parseSysctl(text: string): Omit<MachineInfo, 'hostname' | 'os' | 'arch'> {
  const value = (key: string) => text.match(new RegExp(`^${key.replace(/\./g, '\\.')}:\\s*(.*)$`, 'm'))?.[1]?.trim() ?? '';
  return {
    cpuModel: value('machdep.cpu.brand_string') || 'unknown',
    cores: Number(value('hw.ncpu')) || 0,
    physicalCores: Number(value('hw.physicalcpu')) || Number(value('hw.ncpu')) || 0,
    memoryBytes: Number(value('hw.memsize')) || 0,
    flags: { avx2: false, avx512: false, neon: value('hw.optional.neon') === '1' },
  };
}
