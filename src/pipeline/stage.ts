import type { EventSink, Stage } from './events.ts';

export interface StageReporter {
  emit: EventSink;
  /** Keeps the stage's time (a run's `timings.jsonl`); absent outside a run. */
  record?: (round: number, stage: Stage, ms: number) => Promise<void>;
}

/**
 * Runs one stage of a round between its start and end events (the end event carries
 * `detail(result)`) and records how long it took.
 */
export async function runStage<T>(
  reporter: StageReporter,
  round: number,
  stage: Stage,
  start: { total: number; label: string },
  work: () => Promise<T>,
  detail: (result: T) => string,
): Promise<T> {
  reporter.emit({ type: 'stage-start', round, stage, ...start });
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  await reporter.record?.(round, stage, ms);
  reporter.emit({ type: 'stage-end', round, stage, ms, detail: detail(result) });
  return result;
}
