import { RunStoreError } from '../errors.ts';

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'a file is in the way',
  EMFILE: 'too many open files',
};

/**
 * A file-system failure of the run directory as a RunStoreError naming the path and the reason, so
 * a full disk or a read-only directory ends the run with one clear line, not a stack trace.
 * Whatever was stored before stays stored; the run resumes once the cause is fixed.
 */
export function runIoError(path: string, error: unknown, verb: 'read' | 'write' = 'write'): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code || !(code in REASONS)) return error;
  return new RunStoreError('RUN_IO', `cannot ${verb} ${path}: ${REASONS[code]} (${code}); ${verb === 'write' ? 'nothing stored so far is lost — fix it and run again with --resume' : 'fix it and run again'}`, { cause: error });
}

export function storeIo<T>(path: string, work: () => T, verb: 'read' | 'write' = 'write'): T {
  try {
    return work();
  } catch (error) {
    throw runIoError(path, error, verb);
  }
}

export async function storeIoAsync<T>(path: string, work: () => Promise<T>, verb: 'read' | 'write' = 'write'): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw runIoError(path, error, verb);
  }
}
