import type { RoundSummary, Stage, TokenTotals } from '../schema/summary.ts';

export type { Stage };

/** What the pipeline reports while it works; the CLI turns these into progress bars and lines. */
export type PipelineEvent =
  | { type: 'run-start'; runDir: string; rounds: number; resumed: boolean }
  | { type: 'round-start'; round: number; model: string }
  | { type: 'stage-start'; round: number; stage: Stage; total: number; label: string }
  | { type: 'stage-progress'; round: number; stage: Stage; done: number; total: number; tokens?: TokenTotals; costUsd?: number | null; message?: string }
  | { type: 'stage-end'; round: number; stage: Stage; ms: number; detail: string }
  | { type: 'round-end'; summary: RoundSummary }
  | { type: 'log'; message: string };

export type EventSink = (event: PipelineEvent) => void;
