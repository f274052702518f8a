import type { RunConfig } from '../config/schema.ts';
import type { Survivor } from '../schema/dataset.ts';
import type { Problem } from '../schema/problem.ts';
import type { Sample } from '../schema/sample.ts';
import type { VerdictRecord } from '../schema/verdict.ts';
import type { RunStore } from '../store/run-store.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import type { EventSink } from './events.ts';
import { majorityFilter } from './majority-filter.ts';
import { dedupeKey, selectSurvivors, type SurvivalFilter } from './select.ts';

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
  samples: readonly Sample[];
  verdicts: ReadonlyMap<string, VerdictRecord>;
  rejected: ReadonlySet<string>;
  resolver: VerifierResolver;
  store: Pick<RunStore, 'readSelection'>;
  emit: EventSink;
}

export interface ChosenSurvivors {
  /** This round's survivors. */
  survivors: Survivor[];
  /** What the round trains on: its survivors, plus earlier rounds' with `select.pool: all`. */
  training: Survivor[];
}

/** A round's survivors by the configured filter, and the pool it trains on. */
export async function chooseSurvivors(options: ChooseSurvivorsOptions): Promise<ChosenSurvivors> {
  const { config, round } = options;
  let filter: SurvivalFilter = survivalFilter(config) === 'none' ? 'none' : 'verified';
  if (survivalFilter(config) === 'majority') {
    const share = config.select.majorityShare ?? DEFAULT_MAJORITY_SHARE;
    const vote = await majorityFilter(options.problems, options.samples, options.resolver, share);
    options.emit({ type: 'log', message: `round ${round}: majority vote (share ≥ ${share}) decided ${vote.decided} of ${options.problems.length} problems, ${vote.accepted.size} samples agree` });
    if (vote.unreadable > 0) {
      options.emit({ type: 'log', message: `round ${round}: warning: ${vote.unreadable} samples' answers could not be read and cast no vote (${vote.firstError})` });
    }
    filter = { accepted: vote.accepted };
  }
  const survivors = selectSurvivors({
    problems: options.problems, evalIds: options.evalIds, samples: options.samples, verdicts: options.verdicts, rejected: options.rejected,
    maxPerProblem: config.select.maxPerProblem, dedupe: config.select.dedupe, filter,
  });
  if ((config.select.pool ?? 'round') === 'round') return { survivors, training: survivors };
  const earlier: Survivor[] = [];
  for (let r = 0; r < round; r++) earlier.push(...((await options.store.readSelection(r))?.survivors ?? []));
  return { survivors, training: poolSurvivors([...earlier, ...survivors], config.select.dedupe) };
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
