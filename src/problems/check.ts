import { z } from 'zod';
import { ProblemFormat } from '../config/schema.ts';
import type { VerifierRegistry } from '../verify/registry.ts';
import { VerifierResolver } from '../verify/resolver.ts';
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
  /** What judges the `(config)` problems when the config names no verifier: the layout's default. */
  defaultVerifier: z.string(),
  /** Not errors, but worth knowing (e.g. a question that appears twice). */
  notices: z.array(z.string()),
  withAnswer: count,
  withTests: count,
  /** Problems per `meta.group`; empty when no problem has a group. */
  groups: z.record(z.string(), count),
});
export type ProblemFileCheck = z.infer<typeof ProblemFileCheck>;

/** Loads the file (throwing the same `file:line` errors as a run would) and tallies what it holds. */
export async function checkProblems(path: string, options: LoadProblemsOptions & { registry?: VerifierRegistry } = {}): Promise<ProblemFileCheck> {
  const { format, problems, defaultVerifier, notices } = await readProblemFile(path, options);
  // Each verifier a problem names must exist and accept its options, as a run would require.
  if (options.registry) new VerifierResolver(options.registry, defaultVerifier).checkAll(problems);
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
  return { path, format, count: problems.length, splits, verifiers, defaultVerifier, notices, withAnswer, withTests, groups };
}
