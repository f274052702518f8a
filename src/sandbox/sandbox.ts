import { availableParallelism } from 'node:os';
import { SandboxError } from '../errors.ts';
import { type Isolation, requireIsolation } from './isolation.ts';
import { type SandboxLimitsInput, resolveLimits } from './limits.ts';
import { runOneShot } from './one-shot.ts';
import { type SandboxJob, type SandboxOutcome, failedOutcome } from './outcome.ts';
import { SandboxProcess } from './sandbox-process.ts';
import { SlotQueue, allocateSlotUid } from './slots.ts';

/**
 * `pool`: one long-lived sandbox per slot whose pre-imported zygote forks each task's processes
 * (fast; needs bubblewrap, else runs fall back to `one-shot`). `one-shot`: one fresh sandbox per task.
 */
export type SandboxMode = 'pool' | 'one-shot';

export interface SandboxOptions {
  mode?: SandboxMode;
  /** Tasks run at once; each slot has its own uid. Default: the number of CPUs. */
  slots?: number;
  /** Refuse to run without bubblewrap (also STARLOOP_SANDBOX_STRICT=1). */
  strict?: boolean;
  /** Size of each pool sandbox's scratch file system (MiB); one-shot runs take it from the job. */
  scratchMb?: SandboxLimitsInput['scratchMb'];
}

export interface Sandbox {
  run(job: SandboxJob): Promise<SandboxOutcome>;
  /** Stops the pool's workers; runs after this fail. */
  dispose(): Promise<void>;
}

interface Slot {
  uid: number;
  sandbox?: SandboxProcess;
}

/** Runs untrusted programs; the OS sandbox (bubblewrap + rlimits + unprivileged uid) is the boundary. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const slotCount = Math.max(1, options.slots ?? availableParallelism());
  const slots: Slot[] = Array.from({ length: slotCount }, () => ({ uid: allocateSlotUid() }));
  const queue = new SlotQueue(slots);
  const poolLimits = resolveLimits({ scratchMb: options.scratchMb });
  let disposed = false;

  const runOn = (slot: Slot, isolation: Isolation, job: SandboxJob): Promise<SandboxOutcome> => {
    if (options.mode === 'one-shot' || isolation.level !== 'bwrap') return runOneShot(job, isolation, slot.uid);
    if (!slot.sandbox || slot.sandbox.killed) slot.sandbox = new SandboxProcess(slot.uid, isolation, poolLimits.scratchMb);
    return slot.sandbox.run(job);
  };

  return {
    async run(job) {
      if (disposed) throw new SandboxError('SANDBOX_FAILED', 'the sandbox was disposed');
      const isolation = await requireIsolation(options.strict ?? false);
      const slot = await queue.acquire(job.signal);
      if (slot === undefined) return failedOutcome('aborted while waiting for a free sandbox slot', job.testMode ?? 'separate-process', isolation.level);
      try {
        if (disposed) throw new SandboxError('SANDBOX_FAILED', 'the sandbox was disposed');
        return await runOn(slot, isolation, job);
      } finally {
        queue.release(slot);
      }
    },
    async dispose() {
      disposed = true;
      for (const slot of slots) slot.sandbox?.kill();
    },
  };
}
