import type { StepsSchedule } from '../config/steps-schema.ts';

/**
 * The steps of the fine-tune that makes policy `round` (1 for the first fine-tune). A growth
 * factor is applied as STaR's code does, truncating: 40 × 1.2^(r−1) gives 40, 48, 57, 69, 82, …
 */
export function stepsForRound(schedule: StepsSchedule, round: number): number {
  if (!Number.isInteger(round) || round < 1) throw new RangeError(`fine-tune rounds count from 1, got ${round}`);
  if (typeof schedule === 'number') return schedule;
  if (Array.isArray(schedule)) return schedule[Math.min(round, schedule.length) - 1];
  // The epsilon keeps products that are whole in exact arithmetic (40 × 1.2 = 48) from flooring one short.
  return Math.max(1, Math.floor(schedule.start * schedule.growth ** (round - 1) + 1e-9));
}
