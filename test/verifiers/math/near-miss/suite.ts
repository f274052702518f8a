/**
 * The near-miss mutation suite: every mutation of every gold is judged by the `math` verifier; a
 * mutation judged correct that the oracle does not prove equivalent is a false accept.
 */
import { judgeMath } from '../../../../verifiers/math/judge.ts';
import { MathOptions } from '../../../../verifiers/math/options.ts';
import { mutations, type Mutation, type MutationKind } from './mutate.ts';
import { provablyEquivalent } from './oracle.ts';

export interface NearMiss {
  gold: string;
  mutation: Mutation;
}

export interface SuiteReport {
  golds: number;
  mutations: number;
  rejected: number;
  /** Accepted and proved equivalent by the oracle (e.g. `x + y` with the variables swapped). */
  provedEquivalent: number;
  /** Rejected as `unparseable` (undecided) rather than `incorrect`. */
  undecided: number;
  falseAccepts: { gold: string; mutation: Mutation; reason: string }[];
  byKind: Partial<Record<MutationKind, number>>;
}

export function nearMisses(golds: Iterable<string>): NearMiss[] {
  const unique = [...new Set(golds)];
  return unique.flatMap((gold) => mutations(gold).map((mutation) => ({ gold, mutation })));
}

/** A seeded sample of `count` items, the same every run. */
export function sample<T>(items: T[], count: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

export function runSuite(cases: NearMiss[]): SuiteReport {
  const options = MathOptions.parse({});
  const report: SuiteReport = { golds: new Set(cases.map((item) => item.gold)).size, mutations: 0, rejected: 0, provedEquivalent: 0, undecided: 0, falseAccepts: [], byKind: {} };
  for (const { gold, mutation } of cases) {
    report.mutations++;
    report.byKind[mutation.kind] = (report.byKind[mutation.kind] ?? 0) + 1;
    const verdict = judgeMath(gold, `So the final answer is $\\boxed{${mutation.text}}$.`, options);
    if (verdict.status !== 'correct') {
      report.rejected++;
      if (verdict.status === 'unparseable') report.undecided++;
      continue;
    }
    if (provablyEquivalent(gold, mutation.text)) report.provedEquivalent++;
    else report.falseAccepts.push({ gold, mutation, reason: verdict.reason });
  }
  return report;
}
