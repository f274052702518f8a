import type { EventSink, Stage } from './events.ts';

export interface StageOutcome<T> {
  result: T;
  ms: number;
}

/** Runs one stage of a round between its start and end events; the end event carries `detail(result)`. */
export async function runStage<T>(
  emit: EventSink,
  round: number,
  stage: Stage,
  start: { total: number; label: string },
  work: () => Promise<T>,
  detail: (result: T) => string,
): Promise<StageOutcome<T>> {
  emit({ type: 'stage-start', round, stage, ...start });
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  emit({ type: 'stage-end', round, stage, ms, detail: detail(result) });
  return { result, ms };
}
