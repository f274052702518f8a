import type { SamplingStats } from '../../schema/summary.ts';
import { type DrawIndex, State } from './draw-index.ts';
import type { SamplingPlan } from './strategy.ts';

/** How a draw spent its samples: per problem, how many it drew and how many were correct; and how many of all decided nothing. */
export function samplingStats(plan: SamplingPlan, index: DrawIndex, measuredOn: number, undecided: { unparseable: number; errors: number }): SamplingStats {
  const spent: number[] = [];
  const correctPerProblem: Record<string, number> = {};
  for (const entry of index.entries) {
    const correct = entry.count(State.Correct, index.cap);
    spent.push(correct + entry.count(State.Wrong, index.cap));
    correctPerProblem[String(correct)] = (correctPerProblem[String(correct)] ?? 0) + 1;
  }
  spent.sort((a, b) => a - b);
  const total = spent.reduce((a, b) => a + b, 0);
  return {
    strategy: plan.strategy,
    ...(plan.strategy === 'fixed' ? {} : { correct: plan.correct }),
    ...(plan.strategy === 'uniform' || plan.strategy === 'prop2diff' ? { maxK: plan.maxK } : {}),
    measuredOn,
    samples: total,
    samplesPerProblem: spent.length
      ? { min: spent[0], median: spent[Math.floor((spent.length - 1) / 2)], mean: total / spent.length, max: spent.at(-1)! }
      : { min: 0, median: 0, mean: 0, max: 0 },
    correctPerProblem,
    unparseable: undecided.unparseable,
    errors: undecided.errors,
  };
}
