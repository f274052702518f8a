import { z } from 'zod';

/** Resource limits of one sandboxed run. Every run gets all of them; none can be switched off. */
export const SandboxLimits = z
  .object({
    /** Wall-clock limit; the whole process tree is killed when it passes. */
    wallMs: z.number().int().positive().max(600_000).default(5_000),
    /** CPU seconds (RLIMIT_CPU); defaults to the wall limit rounded up. */
    cpuSeconds: z.number().int().positive().max(600).optional(),
    /** Address space in MiB (RLIMIT_AS for Python; the V8 heap limit for Node). */
    memoryMb: z.number().int().min(32).max(16_384).default(512),
    /** Largest file the program may write (RLIMIT_FSIZE), in MiB. */
    fileSizeMb: z.number().int().min(1).max(1_024).default(16),
    /** Size of the private scratch file system (work dir and /dev/shm), in MiB. */
    scratchMb: z.number().int().min(1).max(4_096).default(64),
    /** Open file descriptors (RLIMIT_NOFILE). */
    openFiles: z.number().int().min(16).max(4_096).default(64),
    /** Processes and threads of the sandbox user (RLIMIT_NPROC). */
    processes: z.number().int().min(4).max(4_096).default(64),
    /** stdout and stderr together; more than this kills the run. */
    maxOutputBytes: z.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
  })
  .strict();
export type SandboxLimits = z.output<typeof SandboxLimits>;
export type SandboxLimitsInput = z.input<typeof SandboxLimits>;

export interface ResolvedLimits extends SandboxLimits {
  cpuSeconds: number;
}

export function resolveLimits(input: SandboxLimitsInput = {}): ResolvedLimits {
  const limits = SandboxLimits.parse(input);
  return { ...limits, cpuSeconds: limits.cpuSeconds ?? Math.max(1, Math.ceil(limits.wallMs / 1000)) };
}

/**
 * V8 reserves about 1 GiB of address space before running a line, so Node gets its heap limit
 * from --max-old-space-size and a looser RLIMIT_AS that only stops runaway native allocations.
 */
export function nodeAddressSpaceMb(limits: SandboxLimits): number {
  return limits.memoryMb * 2 + 2_048;
}
