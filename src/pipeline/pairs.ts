import { createHash } from 'node:crypto';
import type { PairsConfig } from '../config/schema.ts';
import { ProblemFileError } from '../errors.ts';
import { formatIssues } from '../schema/format-issues.ts';
import { OpenAIPreferenceLine, type PairProvenance, type PreferenceFormat, TrlPreferenceLine } from '../schema/preference.ts';
import type { ChatMessage, Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import { seededRandom } from '../util/seeded-random.ts';
import { dedupeKey } from './select.ts';

export const DEFAULT_PAIRS: PairsConfig = { maxPerProblem: 1, pick: 'first', rejected: ['incorrect'] };

export interface PairInputs {
  /** The train problems, in file order (pairs come out in this order). */
  problems: readonly Problem[];
  /** Never paired, whatever the train file says. */
  evalIds: ReadonlySet<string>;
  samples: readonly Sample[];
  verdicts: ReadonlyMap<string, VerdictRecord>;
  /** The unhinted prompt a problem's samples answered. */
  render: (problem: Problem) => ChatMessage[];
  options: PairsConfig;
  /** The run seed: `pick: random` is reproducible from it. */
  seed: number;
}

/** A verified-correct and a verified-wrong answer to the same prompt, from one round. */
export interface PreferencePair {
  problemId: string;
  round: number;
  prompt: ChatMessage[];
  chosen: Sample;
  rejected: Sample;
  rejectedStatus: 'incorrect' | 'unparseable';
  verifier: string;
}

/**
 * Preference pairs per problem and round. Only plain samples pair up (a rationalization answered
 * another prompt, the hinted one); each answer is used once, and answers that repeat another
 * (same text after normalizing case and white space) are left out, as selection does.
 */
export function buildPairs(inputs: PairInputs): PreferencePair[] {
  const byProblemRound = new Map<string, Sample[]>();
  for (const sample of inputs.samples) {
    if (sample.phase !== 'train' || sample.hinted) continue;
    const key = `${sample.problemId}\u0000${sample.round}`;
    const list = byProblemRound.get(key) ?? [];
    list.push(sample);
    byProblemRound.set(key, list);
  }
  const rounds = [...new Set(inputs.samples.map((s) => s.round))].sort((a, b) => a - b);
  const rejectable = new Set<string>(inputs.options.rejected);
  const pairs: PreferencePair[] = [];
  for (const problem of inputs.problems) {
    if (inputs.evalIds.has(problem.id) || problem.split === 'eval') continue;
    for (const round of rounds) {
      const samples = byProblemRound.get(`${problem.id}\u0000${round}`);
      if (!samples) continue;
      const judged = samples
        .map((sample) => ({ sample, verdict: inputs.verdicts.get(sample.id) }))
        .filter((s): s is { sample: Sample; verdict: VerdictRecord } => s.verdict !== undefined && s.verdict.problemId === problem.id);
      const chosen = distinct(order(judged.filter((s) => s.verdict.status === 'correct'), inputs, problem.id, round, 'chosen'));
      const rejected = distinct(order(judged.filter((s) => rejectable.has(s.verdict.status)), inputs, problem.id, round, 'rejected'));
      const count = Math.min(inputs.options.maxPerProblem, chosen.length, rejected.length);
      if (count === 0) continue;
      const prompt = inputs.render(problem);
      for (let i = 0; i < count; i++) {
        pairs.push({
          problemId: problem.id,
          round,
          prompt,
          chosen: chosen[i].sample,
          rejected: rejected[i].sample,
          rejectedStatus: rejected[i].verdict.status as 'incorrect' | 'unparseable',
          verifier: chosen[i].verdict.verifier,
        });
      }
    }
  }
  return pairs;
}

type Judged = { sample: Sample; verdict: VerdictRecord };

function order(list: Judged[], inputs: PairInputs, problemId: string, round: number, side: string): Judged[] {
  const byIndex = [...list].sort((a, b) => a.sample.index - b.sample.index);
  if (inputs.options.pick === 'first') return byIndex;
  const digest = createHash('sha256').update(`${inputs.seed}\u0000${round}\u0000${problemId}\u0000${side}`).digest();
  const random = seededRandom(digest.readUInt32BE(0));
  for (let i = byIndex.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [byIndex[i], byIndex[j]] = [byIndex[j], byIndex[i]];
  }
  return byIndex;
}

function distinct(list: Judged[]): Judged[] {
  const seen = new Set<string>();
  return list.filter(({ sample }) => {
    const key = dedupeKey(sample.text, 'normalized', sample.id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A pair as one line of the chosen format, parsed through that format's schema. */
export function preferenceLine(pair: PreferencePair, format: PreferenceFormat): TrlPreferenceLine | OpenAIPreferenceLine {
  const answer = (sample: Sample) => [{ role: 'assistant' as const, content: sample.text }];
  const prompt = pair.prompt.map((m) => ({ role: m.role, content: m.content }));
  const parsed =
    format === 'trl'
      ? TrlPreferenceLine.safeParse({ prompt, chosen: answer(pair.chosen), rejected: answer(pair.rejected) })
      : OpenAIPreferenceLine.safeParse({ input: { messages: prompt }, preferred_output: answer(pair.chosen), non_preferred_output: answer(pair.rejected) });
  if (!parsed.success) {
    throw new ProblemFileError(`problem ${pair.problemId}: its pair cannot be written in ${format}'s preference format: ${formatIssues(parsed.error).replace(/\n/g, '; ')}`);
  }
  return parsed.data;
}

export function pairProvenance(pair: PreferencePair, line: number): PairProvenance {
  return {
    line,
    problemId: pair.problemId,
    round: pair.round,
    chosenSampleId: pair.chosen.id,
    rejectedSampleId: pair.rejected.id,
    rejectedStatus: pair.rejectedStatus,
    verifier: pair.verifier,
  };
}
