import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { Survivor } from '../schema/survivor.ts';
import type { VerdictRecord } from '../schema/verdict.ts';

export type Dedupe = 'none' | 'exact' | 'normalized';

export interface SelectOptions {
  problems: readonly Problem[];
  /** Ids of eval problems: never allowed into a training set, whatever the train file says. */
  evalIds: ReadonlySet<string>;
  samples: readonly Sample[];
  verdicts: ReadonlyMap<string, VerdictRecord>;
  /** Hinted samples whose rationale quoted the hint: verified correct but not kept. */
  rejected: ReadonlySet<string>;
  maxPerProblem: number;
  dedupe: Dedupe;
}

/** Text key for dedupe: `normalized` ignores case and runs of white space. */
export function dedupeKey(text: string, dedupe: Dedupe, fallback: string): string {
  if (dedupe === 'none') return fallback;
  if (dedupe === 'exact') return text;
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Keeps the verified-correct samples: per problem the unhinted ones first (by index), falling back
 * to accepted rationalizations only when no unhinted sample was correct; distinct texts; capped.
 */
export function selectSurvivors(options: SelectOptions): Survivor[] {
  const byProblem = new Map<string, Sample[]>();
  for (const sample of options.samples) {
    const list = byProblem.get(sample.problemId) ?? [];
    list.push(sample);
    byProblem.set(sample.problemId, list);
  }
  const survivors: Survivor[] = [];
  for (const problem of options.problems) {
    if (options.evalIds.has(problem.id) || problem.split === 'eval') continue;
    const correct = (byProblem.get(problem.id) ?? [])
      .filter((s) => options.verdicts.get(s.id)?.status === 'correct' && !options.rejected.has(s.id))
      .sort((a, b) => a.index - b.index);
    const plain = correct.filter((s) => !s.hinted);
    const chosen = plain.length ? plain : correct.filter((s) => s.hinted);
    const seen = new Set<string>();
    for (const sample of chosen) {
      const key = dedupeKey(sample.text, options.dedupe, sample.id);
      if (seen.has(key)) continue;
      seen.add(key);
      survivors.push({
        problemId: problem.id,
        sampleId: sample.id,
        round: sample.round,
        index: sample.index,
        hinted: sample.hinted,
        text: sample.text,
        verifier: options.verdicts.get(sample.id)!.verifier,
      });
      if (seen.size >= options.maxPerProblem) break;
    }
  }
  return survivors;
}
