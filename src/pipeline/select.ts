import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { DatasetLine, Provenance, Survivor } from '../schema/dataset.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import { equationKey } from './equations.ts';

export type Dedupe = 'none' | 'exact' | 'normalized' | 'equations';

/**
 * Which samples may survive: verified-correct ones; every plain sample (imitation); or the plain
 * samples in `accepted` (e.g. those giving a problem's majority answer).
 */
export type SurvivalFilter = 'verified' | 'none' | { accepted: ReadonlySet<string> };

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
  /** `verified` when absent. */
  filter?: SurvivalFilter;
}

/** Text key for dedupe: `normalized` ignores case and runs of white space; `equations` compares the list of equations. */
export function dedupeKey(text: string, dedupe: Dedupe, fallback: string): string {
  if (dedupe === 'none') return fallback;
  if (dedupe === 'exact') return text;
  if (dedupe === 'equations') return equationKey(text);
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The candidates of one problem the filter lets through, best first: unhinted correct ones, else accepted rationalizations. */
function eligible(samples: readonly Sample[], options: SelectOptions): Sample[] {
  const filter = options.filter ?? 'verified';
  const plain = samples.filter((s) => !s.hinted).sort((a, b) => a.index - b.index);
  if (filter === 'none') return plain;
  if (filter !== 'verified') return plain.filter((s) => filter.accepted.has(s.id));
  const correct = samples
    .filter((s) => options.verdicts.get(s.id)?.status === 'correct' && !options.rejected.has(s.id))
    .sort((a, b) => a.index - b.index);
  const correctPlain = correct.filter((s) => !s.hinted);
  return correctPlain.length ? correctPlain : correct.filter((s) => s.hinted);
}

/**
 * Keeps, per train problem, the samples the filter lets through (by default the verified-correct
 * ones: unhinted first, by index, falling back to accepted rationalizations only when no unhinted
 * sample was correct); distinct by the dedupe key; capped.
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
    const seen = new Set<string>();
    for (const sample of eligible(byProblem.get(problem.id) ?? [], options)) {
      const key = dedupeKey(sample.text, options.dedupe, sample.id);
      if (seen.has(key)) continue;
      seen.add(key);
      const verdict = options.verdicts.get(sample.id);
      survivors.push({
        problemId: problem.id,
        sampleId: sample.id,
        round: sample.round,
        index: sample.index,
        hinted: sample.hinted,
        text: sample.text,
        verifier: verdict?.verifier ?? 'none',
        ...(verdict ? { status: verdict.status } : {}),
        model: sample.model,
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
          ...(survivor.status ? { status: survivor.status } : {}),
          ...(survivor.model ? { model: survivor.model } : {}),
        });
      }
      return { lines, provenance };
    },
  };
}
