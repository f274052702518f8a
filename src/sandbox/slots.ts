import { SLOT_UID_BASE } from './isolation.ts';

const UIDS_PER_PROCESS = 64;
const PROCESS_BLOCKS = 900;
let nextUidOffset = 0;

/**
 * A host uid no other slot uses: RLIMIT_NPROC counts every process of a uid, so a fork bomb's
 * dying processes must not count against a neighbouring slot. Processes sharing the machine
 * (parallel test files, two verifiers) get different uid blocks by their pid.
 */
export function allocateSlotUid(): number {
  const block = process.pid % PROCESS_BLOCKS;
  const offset = nextUidOffset++ % UIDS_PER_PROCESS;
  return SLOT_UID_BASE + block * UIDS_PER_PROCESS + offset;
}

/** A fixed set of slots (each with its own uid) handed out first come, first served. */
export class SlotQueue<Slot> {
  readonly #free: Slot[];
  readonly #waiting: Array<(slot: Slot) => void> = [];

  constructor(slots: Slot[]) {
    this.#free = [...slots];
  }

  /** Resolves with a free slot, or with undefined when `signal` aborts first (the wait is dropped). */
  acquire(signal?: AbortSignal): Promise<Slot | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    const slot = this.#free.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => {
      const waiter = (granted: Slot) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(granted);
      };
      const onAbort = () => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  release(slot: Slot): void {
    const next = this.#waiting.shift();
    if (next) next(slot);
    else this.#free.push(slot);
  }
}
