import { z } from 'zod';
import { PolicyError } from '../../../errors.ts';
import { formatIssues } from '../../../schema/format-issues.ts';
import type { StateCell } from '../../../store/run-store.ts';

/**
 * One submitted batch as the state file keeps it. The input file id is saved before the batch is
 * created and the batch id right after, so a process killed at any point finds its batch again
 * (by id, or by input file in the server's list) instead of paying for the requests twice.
 */
export const SavedBatch = z.object({
  inputFileId: z.string().min(1),
  batchId: z.string().min(1).optional(),
  requests: z.number().int().positive(),
  submittedAt: z.string(),
  /** Its results are merged into the caller's store (or it failed as a whole); nothing more to collect. */
  done: z.boolean(),
});
export type SavedBatch = z.infer<typeof SavedBatch>;

const BatchState = z.object({ batches: z.array(SavedBatch) });

/** The batches of one sampling call, kept in a StateCell (or only in memory, for a caller that gives none). */
export class SavedBatches {
  readonly #cell: StateCell | undefined;
  #batches: SavedBatch[] = [];

  constructor(cell: StateCell | undefined) {
    this.#cell = cell;
  }

  async load(): Promise<void> {
    const saved = await this.#cell?.read();
    if (saved === undefined) return;
    const parsed = BatchState.safeParse(saved);
    if (!parsed.success) throw new PolicyError(`the saved batch state does not parse: ${formatIssues(parsed.error).replace(/\n/g, '; ')}`);
    this.#batches = parsed.data.batches;
  }

  /** Batches submitted whose results are not collected yet, oldest first. */
  open(): SavedBatch[] {
    return this.#batches.filter((b) => !b.done);
  }

  async add(batch: SavedBatch): Promise<void> {
    this.#batches.push(batch);
    await this.save();
  }

  async save(): Promise<void> {
    await this.#cell?.write({ batches: this.#batches });
  }
}
