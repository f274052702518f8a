import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { DatasetLine, Provenance, Survivor } from '../schema/dataset.ts';
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

/** A round's fine-tuning set: its chat lines and, per line, where it came from. */
export interface Dataset {
  lines: DatasetLine[];
  provenance: Provenance[];
}

/**
 * Where a round's fine-tuning set comes from. The loop's own is the survivors; an experiment may
 * put another in its place (the embedded model's same-steps control trains on gold examples).
 */
export interface DatasetSource {
  /** Recorded in the manifest: a resumed run must keep the same source. */
  readonly id: string;
  build(survivors: readonly Survivor[], round: number): Dataset;
}

/** The survivors as chat examples: the unhinted prompt, then the verified answer. */
export function survivorDataset(problems: ReadonlyMap<string, Problem>, render: (problem: Problem) => { messages: DatasetLine['messages'] }): DatasetSource {
  return {
    id: 'survivors',
    build(survivors) {
      const lines: DatasetLine[] = [];
      const provenance: Provenance[] = [];
      for (const survivor of survivors) {
        const problem = problems.get(survivor.problemId)!;
        lines.push({ messages: [...render(problem).messages, { role: 'assistant', content: survivor.text }] });
        provenance.push({
          line: lines.length,
          problemId: survivor.problemId,
          sampleId: survivor.sampleId,
          round: survivor.round,
          source: survivor.hinted ? 'rationalized' : 'sampled',
          verifier: survivor.verifier,
        });
      }
      return { lines, provenance };
    },
  };
}
