import { HarnessError } from '../errors.ts';

/** Errno codes of a disk or folder the harness cannot write: said in words, never as a stack. */
const reasons: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'a folder on the path does not exist',
};

/**
 * A write that failed for a reason of the disk (full, read-only, no permission) becomes an infrastructure error
 * that names the file and says what to do; finished prompts stay in results.jsonl. Other errors pass through.
 */
export function storageError(error: unknown, file: string, step = 'write results'): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const reason = code ? reasons[code] : undefined;
  if (!reason) return error;
  return new HarnessError('infrastructure', step, `cannot write ${file}: ${reason} (${code})`, 'free space on that disk or make the reports folder writable (BENCH_REPORTS_DIR / reports.dir); finished prompts are kept in results.jsonl and a rerun with the same BENCH_RUN_ID resumes', { cause: error });
}
