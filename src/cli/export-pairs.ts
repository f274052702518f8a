import { RunStoreError } from '../errors.ts';
import { pairableRounds, readRunPairs } from '../pipeline/run-pairs.ts';
import { pairProvenance, preferenceLine } from '../pipeline/pairs.ts';
import type { PreferenceFormat } from '../schema/preference.ts';

export interface PairFlags {
  round?: number;
  all?: boolean;
  provenance?: boolean;
  format: PreferenceFormat;
  perProblem: number;
  pick: 'first' | 'random';
  includeUnparseable?: boolean;
}

/** `export --pairs`: the run's preference pairs (or their provenance) as JSONL lines, and the rounds they came from. */
export async function exportPairs(runDir: string, flags: PairFlags): Promise<{ lines: string[]; rounds: number[] }> {
  const available = await pairableRounds(runDir);
  if (!available.length) throw new RunStoreError('RUN_NOT_FOUND', `${runDir} has no verified train samples yet`);
  if (flags.round !== undefined && !available.includes(flags.round)) {
    throw new RunStoreError('RUN_NOT_FOUND', `round ${flags.round} of ${runDir} has no verified train samples (rounds with some: ${available.join(', ')})`);
  }
  const rounds = flags.all ? available : [flags.round ?? available[available.length - 1]];
  const pairs = await readRunPairs(runDir, rounds, {
    maxPerProblem: flags.perProblem,
    pick: flags.pick,
    rejected: flags.includeUnparseable ? ['incorrect', 'unparseable'] : ['incorrect'],
  });
  const lines = pairs.map((pair, i) => JSON.stringify(flags.provenance ? pairProvenance(pair, i + 1) : preferenceLine(pair, flags.format)));
  return { lines, rounds };
}
