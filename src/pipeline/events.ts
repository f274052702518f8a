import type { PolicyNotice } from '../policy/policy.ts';
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
  | { type: 'log'; message: string }
  /** Something the user should act on or know went wrong, though the run goes on (e.g. an endpoint taken out). */
  | { type: 'warning'; message: string };

export type EventSink = (event: PipelineEvent) => void;

/** A policy's notice as an event: a warning as `warning`, the rest as `log`. */
export function noticeEvent(notice: PolicyNotice): PipelineEvent {
  return notice.level === 'warning' ? { type: 'warning', message: notice.message } : { type: 'log', message: notice.message };
}
