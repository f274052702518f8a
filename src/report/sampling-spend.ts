import type { RoundSummary, SamplingStats } from '../schema/summary.ts';

/** The columns of the samples-spent table, shared by the text and HTML reports. */
export const SPEND_HEADERS = ['round', 'strategy', 'samples', 'per problem min', 'median', 'mean', 'max', 'unparseable', 'errors', 'problems by correct samples'] as const;

/** `0:12 1:30 2:8`: how many problems have each number of correct samples, fewest first. */
export function correctDistribution(stats: SamplingStats): string {
  return Object.entries(stats.correctPerProblem)
    .map(([correct, problems]) => [Number(correct), problems] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([correct, problems]) => `${correct}:${problems}`)
    .join(' ');
}

/** The strategy and what it was asked for: `uniform (c=4, maxK=32)`. */
function strategyText(stats: SamplingStats): string {
  const settings = [...(stats.correct === undefined ? [] : [`c=${stats.correct}`]), ...(stats.maxK === undefined ? [] : [`maxK=${stats.maxK}`])];
  return settings.length ? `${stats.strategy} (${settings.join(', ')})` : stats.strategy;
}

/**
 * One row per round that sampled training data: how many samples each problem took and how many
 * of them were correct. Adaptive strategies spend unevenly by design; this is where that shows.
 * Rounds summarized before starloop kept these numbers have no row.
 */
export function samplingSpendRows(rounds: readonly RoundSummary[]): string[][] {
  return rounds.flatMap((r) => {
    const stats = r.train?.sampling;
    if (!stats) return [];
    const { min, median, mean, max } = stats.samplesPerProblem;
    const count = (value: number | undefined) => (value === undefined ? 'n/a' : String(value));
    return [[String(r.round), strategyText(stats), String(stats.samples), String(min), String(median), mean.toFixed(1), String(max), count(stats.unparseable), count(stats.errors), correctDistribution(stats)]];
  });
}

export const SPEND_NOTE =
  'problems by correct samples: "c:n" means n problems have c correct samples among those drawn for them. unparseable, errors: among all samples drawn (the round table counts those of the first samples of each problem that its rates are measured on); n/a: not recorded by the starloop that ran the round.';
