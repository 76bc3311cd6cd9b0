/**
 * A Target is a machine the benchmark runs on: this machine, a host reached over SSH, or a RunPod pod
 * (which is an SSH host once provisioned). Everything above this interface — engine setup, generation,
 * reports — is written once against it.
 *
 * Commands are argv arrays, never shell strings: a prompt full of `'; rm -rf ~ #` must reach the engine
 * byte for byte. Targets that can only run shell strings (SSH) quote each argument themselves.
 */
/**
 * For quick tool calls (`--version`, `uname`, `wc -c`, `chmod`): a fraction of a second anywhere. A minute allows a
 * loaded host or a cold disk; a call that hangs (a binary stuck on a lock, a stalled network mount) then fails
 * with its name instead of holding the run.
 */
export const TOOL_TIMEOUT_MS = 60_000;

export interface CommandSpec {
  /** Program and arguments; argv[0] is looked up on PATH when it has no slash. */
  argv: string[];
  cwd?: string;
  /** Extra environment variables, added to the target's own. */
  env?: Record<string, string>;
  /** Kill the command after this many milliseconds (result then has `timedOut: true`). */
  timeoutMs?: number;
}

export interface StreamHandlers {
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
}

export interface CommandResult {
  /** null when the process was killed by a signal or the connection dropped. */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface CpuFlags {
  avx2: boolean;
  avx512: boolean;
  neon: boolean;
}

export interface MachineInfo {
  hostname: string;
  os: string;
  /** `uname -m`: x86_64, aarch64, arm64 … */
  arch: string;
  cpuModel: string;
  /** Logical CPUs this process may use (nproc). */
  cores: number;
  /** Physical cores among them, capped by a container's CPU quota; absent in records written before it existed. */
  physicalCores?: number;
  flags: CpuFlags;
  memoryBytes: number;
}

export type TargetKind = 'local' | 'ssh' | 'runpod';

export interface Target {
  readonly kind: TargetKind;
  /** Human label for logs and reports, e.g. `local`, `ssh root@1.2.3.4:22`. Never contains secrets. */
  readonly label: string;
  exec(spec: CommandSpec, handlers?: StreamHandlers, signal?: AbortSignal): Promise<CommandResult>;
  /** Write bytes to a path on the target, creating parent folders. */
  writeFile(remotePath: string, data: string | Uint8Array): Promise<void>;
  readFile(remotePath: string): Promise<Buffer>;
  /** Copy a local file to the target / a target file to this machine. */
  putFile(localPath: string, remotePath: string): Promise<void>;
  getFile(remotePath: string, localPath: string): Promise<void>;
  describe(): Promise<MachineInfo>;
  /** Absolute folder on the target the harness owns (engine checkout, prompt files, logs). */
  readonly workDir: string;
  close(): Promise<void>;
}
