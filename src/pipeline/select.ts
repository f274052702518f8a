import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { DatasetLine, Provenance, Survivor } from '../schema/dataset.ts';
import type { VerdictRecord, VerdictStatus } from '../schema/verdict.ts';
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

/** What selection knows of a sample's verdict. */
export interface SurvivorVerdict {
  verifier: string;
  status?: VerdictStatus;
}

/**
 * Whether the filter lets a sample through: under `verified`, a correct one (plain, or a
 * rationalization that did not quote its hint); under the others, plain samples only (a hint
 * would leak the gold answer into what is kept).
 */
export function admits(filter: SurvivalFilter, sample: Sample, verdict: SurvivorVerdict | undefined, rejected: boolean): boolean {
  if (filter === 'verified') return verdict?.status === 'correct' && !rejected;
  if (sample.hinted) return false;
  return filter === 'none' || filter.accepted.has(sample.id);
}

/**
 * Keeps, per train problem, the samples the filter lets through (by default the verified-correct
 * ones: unhinted first, by index, falling back to accepted rationalizations only when no unhinted
 * sample was correct); distinct by the dedupe key; capped.
 */
export function selectSurvivors(options: SelectOptions): Survivor[] {
  const picker = new SurvivorPicker(options);
  for (const sample of options.samples) {
    const record = options.verdicts.get(sample.id);
    const verdict = record ? { verifier: record.verifier, status: record.status } : undefined;
    if (admits(options.filter ?? 'verified', sample, verdict, options.rejected.has(sample.id))) picker.offer(sample, verdict);
  }
  return picker.survivors(options.problems);
}

interface Candidate {
  /** What a survivor takes from its sample: a picker holds up to `maxPerProblem` + 1 per problem, so not the whole record. */
  sample: Pick<Sample, 'id' | 'round' | 'index' | 'hinted' | 'text' | 'model'>;
  verdict?: SurvivorVerdict;
}

const candidateOf = (sample: Sample, verdict: SurvivorVerdict | undefined): Candidate => ({
  sample: { id: sample.id, round: sample.round, index: sample.index, hinted: sample.hinted, text: sample.text, model: sample.model },
  verdict,
});

/**
 * The survivors of a round, from the samples its filter admits offered one at a time in any order
 * (a round's samples are streamed from disk, never held whole): the same choice as sorting each
 * problem's admitted samples by index and keeping the first `maxPerProblem` distinct texts. Per
 * problem and kind (plain or hinted) it holds at most `maxPerProblem` + 1 samples.
 */
export class SurvivorPicker {
  readonly #options: Pick<SelectOptions, 'evalIds' | 'maxPerProblem' | 'dedupe'>;
  /** problem id → kind → dedupe key → the lowest-index sample with that key. */
  readonly #kept = new Map<string, [Map<string, Candidate>, Map<string, Candidate>]>();

  constructor(options: Pick<SelectOptions, 'evalIds' | 'maxPerProblem' | 'dedupe'>) {
    this.#options = options;
  }

  /** A sample the round's filter admits (see `admits`). */
  offer(sample: Sample, verdict: SurvivorVerdict | undefined): void {
    if (this.#options.evalIds.has(sample.problemId)) return;
    let kinds = this.#kept.get(sample.problemId);
    if (!kinds) {
      kinds = [new Map(), new Map()];
      this.#kept.set(sample.problemId, kinds);
    }
    const kept = kinds[sample.hinted ? 1 : 0];
    const key = dedupeKey(sample.text, this.#options.dedupe, sample.id);
    const same = kept.get(key);
    if (same) {
      if (sample.index < same.sample.index) kept.set(key, candidateOf(sample, verdict));
      return;
    }
    kept.set(key, candidateOf(sample, verdict));
    if (kept.size <= this.#options.maxPerProblem) return;
    // A key whose first sample comes after `maxPerProblem` others can only come back through an earlier sample.
    let last: [string, Candidate] | undefined;
    for (const entry of kept) if (!last || entry[1].sample.index > last[1].sample.index) last = entry;
    kept.delete(last![0]);
  }

  /** The survivors in problem order, then index order. Called once: the picker lets go of each problem's as it goes. */
  survivors(problems: readonly Problem[]): Survivor[] {
    const survivors: Survivor[] = [];
    for (const problem of problems) {
      if (this.#options.evalIds.has(problem.id) || problem.split === 'eval') continue;
      const [plain, hinted] = this.#kept.get(problem.id) ?? [new Map(), new Map()];
      this.#kept.delete(problem.id);
      const chosen = [...(plain.size ? plain : hinted).values()].sort((a, b) => a.sample.index - b.sample.index);
      for (const { sample, verdict } of chosen) {
        survivors.push({
          problemId: problem.id,
          sampleId: sample.id,
          round: sample.round,
          index: sample.index,
          hinted: sample.hinted,
          text: sample.text,
          verifier: verdict?.verifier ?? 'none',
          ...(verdict?.status ? { status: verdict.status } : {}),
          model: sample.model,
        });
      }
    }
    return survivors;
  }
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
