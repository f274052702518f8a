import { z } from 'zod';
import { ProblemFormat } from '../config/schema.ts';
import { readProblemFile, type LoadProblemsOptions } from './load.ts';

const count = z.number().int().nonnegative();

/** Key under which problems without their own verifier are counted (the run config's verifier judges them). */
export const CONFIG_VERIFIER_KEY = '(config)';

/** What `starloop problems check` prints: what a problem file holds, once every line has parsed. */
export const ProblemFileCheck = z.object({
  path: z.string(),
  format: ProblemFormat.exclude(['auto']),
  count,
  splits: z.object({ train: count, eval: count, none: count }),
  /** Problems per verifier id; `(config)` for those that leave it to the run's config. */
  verifiers: z.record(z.string(), count),
  withAnswer: count,
  withTests: count,
  /** Problems per `meta.group`; empty when no problem has a group. */
  groups: z.record(z.string(), count),
});
export type ProblemFileCheck = z.infer<typeof ProblemFileCheck>;

/** Loads the file (throwing the same `file:line` errors as a run would) and tallies what it holds. */
export async function checkProblems(path: string, options: LoadProblemsOptions = {}): Promise<ProblemFileCheck> {
  const { format, problems } = await readProblemFile(path, options);
  const splits = { train: 0, eval: 0, none: 0 };
  const verifiers: Record<string, number> = {};
  const groups: Record<string, number> = {};
  let withAnswer = 0;
  let withTests = 0;
  for (const problem of problems) {
    splits[problem.split ?? 'none']++;
    const verifier = problem.verifier === undefined ? CONFIG_VERIFIER_KEY : typeof problem.verifier === 'string' ? problem.verifier : problem.verifier.id;
    verifiers[verifier] = (verifiers[verifier] ?? 0) + 1;
    const group = problem.meta.group;
    if (typeof group === 'string') groups[group] = (groups[group] ?? 0) + 1;
    if (problem.answer !== undefined) withAnswer++;
    if (problem.tests !== undefined) withTests++;
  }
  return { path, format, count: problems.length, splits, verifiers, withAnswer, withTests, groups };
}
