import { type CpuFlags, type MachineInfo, type Target, TOOL_TIMEOUT_MS } from './target.ts';

/**
 * Describes a machine by running a few read-only commands on it, so local, SSH and RunPod targets share
 * one implementation. Linux reads /proc; macOS (an M1 on the desk over SSH) reads sysctl.
 */
export async function describeMachine(target: Pick<Target, 'exec'>): Promise<MachineInfo> {
  const uname = await target.exec({ argv: ['uname', '-snm'], timeoutMs: TOOL_TIMEOUT_MS });
  const [os = 'unknown', hostname = 'unknown', arch = 'unknown'] = uname.stdout.trim().split(/\s+/);
  if (os === 'Darwin') {
    const sysctl = await target.exec({ argv: ['sysctl', 'machdep.cpu.brand_string', 'hw.ncpu', 'hw.memsize', 'hw.optional.neon'], timeoutMs: TOOL_TIMEOUT_MS });
    return { hostname, os, arch, ...parseSysctl(sysctl.stdout) };
  }
  const cpuinfo = await target.exec({ argv: ['cat', '/proc/cpuinfo'], timeoutMs: TOOL_TIMEOUT_MS });
  const meminfo = await target.exec({ argv: ['cat', '/proc/meminfo'], timeoutMs: TOOL_TIMEOUT_MS });
  const nproc = await target.exec({ argv: ['nproc'], timeoutMs: TOOL_TIMEOUT_MS });
  const cpu = parseCpuinfo(cpuinfo.stdout, arch);
  const cores = Number.parseInt(nproc.stdout, 10) || cpu.processors;
  return { hostname, os, arch, cpuModel: cpu.model, cores, flags: cpu.flags, memoryBytes: parseMeminfo(meminfo.stdout) };
}

export function parseCpuinfo(text: string, arch: string): { model: string; processors: number; flags: CpuFlags } {
  const field = (name: string) => text.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'mi'))?.[1]?.trim();
  // x86 names the CPU in "model name"; arm64 kernels often only give "CPU implementer"/"Hardware".
  const model = field('model name') ?? field('Hardware') ?? field('cpu model') ?? (field('CPU implementer') ? `ARM implementer ${field('CPU implementer')} part ${field('CPU part') ?? '?'}` : 'unknown');
  const flagWords = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/));
  const processors = (text.match(/^processor\s*:/gim) ?? []).length;
  const isArm = /^(aarch64|arm64)/.test(arch);
  return {
    model,
    processors,
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
    memoryBytes: Number(value('hw.memsize')) || 0,
    flags: { avx2: false, avx512: false, neon: value('hw.optional.neon') === '1' },
  };
}
