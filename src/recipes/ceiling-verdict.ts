import type { ComparisonResult, PairedComparison } from '../report/compare.ts';
import { points } from '../util/format.ts';

/** The arms compared with the teacher, by the label each has in the comparison. */
export interface CeilingLabels {
  teacher: string;
  imitation: string;
  filtered: string;
  star: string;
}

export interface CeilingVerdict {
  /** True only when imitation is not significantly above the teacher and both other arms are significantly above it. */
  ceilingShown: boolean;
  /** One line per arm against the teacher, then the conclusion. */
  lines: string[];
}

const interval = (pair: PairedComparison, level: string) => `${points(pair.meanDifference)}, ${level} [${points(pair.low)}, ${points(pair.high)}], McNemar p ${mcnemar(pair.mcnemarP)}`;
const mcnemar = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

function pairFor(result: ComparisonResult, teacher: string, arm: string): PairedComparison {
  const pair = result.pairs.find((p) => p.baseline === teacher && p.candidate === arm);
  if (!pair) throw new RangeError(`the comparison has no pair of ${arm} against ${teacher}`);
  return pair;
}

/** What the paired comparison of one arm with the teacher says, in words that claim no more than its verdict. */
function armLine(name: string, pair: PairedComparison, level: string): string {
  const where = {
    gain: 'above the teacher',
    loss: 'below the teacher',
    noise: `not significantly different from the teacher by its paired interval (at most ${points(pair.high)} above it)`,
  }[pair.verdict];
  return `${name}: ${where}: ${interval(pair, level)}`;
}

/**
 * The experiment's conclusion, read from the paired comparisons with the teacher: the imitation
 * ceiling is shown when imitation does not pass the teacher (its difference is a real loss or
 * within noise) while filtered distillation and STaR both pass it (real gains). Anything else is
 * said as what was measured, arm by arm.
 */
export function ceilingVerdict(result: ComparisonResult, labels: CeilingLabels): CeilingVerdict {
  const level = `${Math.round(result.confidence * 100)}% CI`;
  const imitation = pairFor(result, labels.teacher, labels.imitation);
  const filtered = pairFor(result, labels.teacher, labels.filtered);
  const star = pairFor(result, labels.teacher, labels.star);
  const lines = [
    armLine('A imitation (unfiltered teacher samples)', imitation, level),
    armLine('B filtered distillation (verified teacher samples)', filtered, level),
    armLine('C STaR (the student alone)', star, level),
  ];
  const capped = imitation.verdict !== 'gain';
  const ceilingShown = capped && filtered.verdict === 'gain' && star.verdict === 'gain';
  if (ceilingShown) {
    const cap = imitation.verdict === 'loss' ? 'ends below the teacher' : 'stops at the teacher (not significantly different from it)';
    lines.push(`verdict: the imitation ceiling is shown: imitation ${cap}, while filtered distillation and STaR both pass the teacher.`);
  } else {
    const failed = [
      ...(capped ? [] : ['imitation passed the teacher']),
      ...(filtered.verdict === 'gain' ? [] : [`filtered distillation did not pass the teacher (${filtered.verdict === 'noise' ? 'not significant' : 'significantly below it'})`]),
      ...(star.verdict === 'gain' ? [] : [`STaR did not pass the teacher (${star.verdict === 'noise' ? 'not significant' : 'significantly below it'})`]),
    ];
    lines.push(`verdict: the imitation ceiling is not shown here: ${failed.join('; ')}.`);
  }
  return { ceilingShown, lines };
}
