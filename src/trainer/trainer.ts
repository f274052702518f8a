import type { PolicyRef } from '../schema/training.ts';
import type { StateCell } from '../store/run-store.ts';

export interface TrainProgress {
  /** Free-form stage, e.g. `uploading`, `queued`, `running`, `step`. */
  stage: string;
  done?: number;
  total?: number;
  message?: string;
}

export interface TrainRequest {
  /** Chat-format JSONL (`{"messages": [...]}` per line). */
  datasetPath: string;
  examples: number;
  /** The base policy of the run. */
  base: PolicyRef;
  /** Where this round's fine-tuning starts: the base, or the previous round's model. */
  start: PolicyRef;
  /** The iteration producing the next policy (1 for the first fine-tune). */
  round: number;
  /** A directory the trainer may write into (checkpoints, logs). */
  outDir: string;
  /** Survives `kill -9`: what the trainer keeps here lets a resumed round continue a paid job instead of starting another. */
  state: StateCell;
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
}

export interface Trainer {
  readonly id: string;
  train(request: TrainRequest): Promise<PolicyRef>;
}
