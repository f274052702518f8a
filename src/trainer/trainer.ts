import type { PolicyRef } from '../policy/policy.ts';

export interface TrainProgress {
  /** Free-form stage, e.g. `uploading`, `queued`, `running`, `step`. */
  stage: string;
  done?: number;
  total?: number;
  message?: string;
}

/** A small JSON record that survives `kill -9`, so a resumed round continues a paid job instead of starting another. */
export interface TrainerState {
  read(): Promise<unknown>;
  write(value: unknown): Promise<void>;
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
  state: TrainerState;
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
}

export interface Trainer {
  readonly id: string;
  train(request: TrainRequest): Promise<PolicyRef>;
}
