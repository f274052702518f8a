import type { RunConfig } from '../config/schema.ts';
import type { Survivor } from '../schema/dataset.ts';
import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import type { RunStore } from '../store/run-store.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import type { EventSink } from './events.ts';
import { agreesWithMajority, majorityAnswers } from './majority-filter.ts';
import { admits, dedupeKey, SurvivorPicker, type SurvivorVerdict } from './select.ts';

export const DEFAULT_MAJORITY_SHARE = 0.5;

/** The config's survival filter; `verified` when it names none. */
export function survivalFilter(config: Pick<RunConfig, 'select'>): 'verified' | 'none' | 'majority' {
  return config.select.filter ?? 'verified';
}

export interface ChooseSurvivorsOptions {
  config: RunConfig;
  round: number;
  problems: readonly Problem[];
  evalIds: ReadonlySet<string>;
  /** The round's train samples, plain and hinted, streamed from the store (each call reads them again). */
  samples: () => AsyncIterable<Sample>;
  /** The round's train verdicts, streamed: read only by the filters that keep samples which are not correct. */
  verdicts: () => AsyncIterable<VerdictRecord>;
  /** Whether a sample was verified correct (known without reading verdicts back: the draw kept it). */
  correct: (sample: Sample) => boolean;
  /** A correct sample that must not be kept (a rationale that quoted its hint). */
  rejected: (sample: Sample) => boolean;
  /** The id of the verifier that judges a problem. */
  verifierOf: (problemId: string) => string;
  resolver: VerifierResolver;
  store: Pick<RunStore, 'readSurvivors'>;
  emit: EventSink;
}

export interface ChosenSurvivors {
  /** This round's survivors. */
  survivors: Survivor[];
  /** What the round trains on: its survivors, plus earlier rounds' with `select.pool: all`. */
  training: Survivor[];
}

/**
 * A round's survivors by the configured filter, and the pool it trains on. The default filter
 * streams the samples once and holds only what it keeps; imitation and majority vote also hold
 * each plain sample's verdict status, and majority vote streams the samples twice (votes per answer
 * and problem, then the samples that agree).
 */
export async function chooseSurvivors(options: ChooseSurvivorsOptions): Promise<ChosenSurvivors> {
  const { config, round } = options;
  const picker = new SurvivorPicker({ evalIds: options.evalIds, maxPerProblem: config.select.maxPerProblem, dedupe: config.select.dedupe });
  const kind = survivalFilter(config);
  if (kind === 'verified') {
    for await (const sample of options.samples()) {
      const correct = options.correct(sample);
      const verdict = correct ? { verifier: options.verifierOf(sample.problemId), status: 'correct' as const } : undefined;
      if (admits('verified', sample, verdict, correct && options.rejected(sample))) picker.offer(sample, verdict);
    }
  } else {
    const verdicts = new Map<string, SurvivorVerdict>();
    for await (const v of options.verdicts()) verdicts.set(v.sampleId, { verifier: v.verifier, status: v.status });
    if (kind === 'none') {
      for await (const sample of options.samples()) {
        const verdict = verdicts.get(sample.id);
        if (admits('none', sample, verdict, false)) picker.offer(sample, verdict);
      }
    } else {
      const share = config.select.majorityShare ?? DEFAULT_MAJORITY_SHARE;
      const majority = await majorityAnswers(options.problems, options.samples(), options.resolver, share);
      if (majority.unreadable > 0) {
        options.emit({ type: 'log', message: `round ${round}: warning: ${majority.unreadable} samples' answers could not be read and cast no vote (${majority.firstError})` });
      }
      let agree = 0;
      for await (const sample of options.samples()) {
        if (!(await agreesWithMajority(majority, sample, options.resolver))) continue;
        agree++;
        picker.offer(sample, verdicts.get(sample.id));
      }
      options.emit({ type: 'log', message: `round ${round}: majority vote (share ≥ ${share}) decided ${majority.winners.size} of ${options.problems.length} problems, ${agree} samples agree` });
      // Each answer is read twice; a verifier that reads a sample differently the second time
      // (randomness, a time limit under load) would otherwise change the survivors without a word.
      let votes = 0;
      for (const winner of majority.winners.values()) votes += winner.votes;
      if (votes !== agree) {
        options.emit({ type: 'log', message: `round ${round}: warning: the majority answers had ${votes} votes, but ${agree} samples gave them when read again: the verifier does not read answers the same way twice, so the survivors may not be the majority's` });
      }
    }
  }
  const survivors = picker.survivors(options.problems);
  if ((config.select.pool ?? 'round') === 'round') return { survivors, training: survivors };
  // Concatenated, not pushed as arguments: a round's survivors can outnumber a call's arguments.
  let pooled: Survivor[] = [];
  for (let r = 0; r < round; r++) pooled = pooled.concat(await options.store.readSurvivors(r));
  return { survivors, training: poolSurvivors(pooled.concat(survivors), config.select.dedupe) };
}

/** Survivors of several rounds as one set: the first of each (problem, dedupe key) is kept, so earlier rounds come first. */
export function poolSurvivors(survivors: readonly Survivor[], dedupe: RunConfig['select']['dedupe']): Survivor[] {
  const seen = new Set<string>();
  return survivors.filter((survivor) => {
    const key = `${survivor.problemId}\u0000${dedupeKey(survivor.text, dedupe, survivor.sampleId)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
