import { existsSync } from 'node:fs';
import type { RunConfig } from '../config/schema.ts';
import { costUsd } from '../pricing/prices.ts';
import { Sample } from '../schema/sample.ts';
import type { PolicyRef } from '../schema/training.ts';
import { iterateJsonl } from '../store/jsonl.ts';
import { readRunManifest, listRoundDirs } from '../store/run-reader.ts';
import { runLayout } from '../store/layout.ts';
import { stateFile } from '../store/run-store.ts';
import type { Spend } from './budget.ts';
import { configPrice } from './spending.ts';

/** What a run directory already holds that a resumed run would not ask for again. */
export interface StoredDraws {
  /** The sample indices stored for a problem in one round, phase and hinting. */
  indicesOf(round: number, phase: 'train' | 'eval', hinted: boolean, problemId: string): ReadonlySet<number> | undefined;
  /** Rounds whose dataset went to training: kept as they are, never sampled again. */
  committed: ReadonlySet<number>;
  /** The model each round used, as the manifest recorded it. */
  policies: readonly (PolicyRef | undefined)[];
  spend: Spend;
  /** The mean completion tokens of the stored samples of each phase, when any are stored. */
  meanCompletion: { train?: number; eval?: number };
}

/** Reads a run directory's samples (a torn last line is not counted), manifest and committed rounds; writes nothing. */
export async function readStoredDraws(runDir: string, config: RunConfig): Promise<StoredDraws> {
  const layout = runLayout(runDir);
  const manifest = await readRunManifest(runDir);
  const indices = new Map<string, Set<number>>();
  const committed = new Set<number>();
  const spend: Spend = { samples: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
  const completion = { train: { samples: 0, tokens: 0 }, eval: { samples: 0, tokens: 0 } };
  for (const round of await listRoundDirs(runDir)) {
    const files = layout.round(round);
    // As the run decides it (RunStore.datasetCommitted): a trained model, or a training under way.
    const state = existsSync(files.trainerState) ? await stateFile(files.trainerState).read() : undefined;
    if (existsSync(files.nextPolicy) || (state !== undefined && Object.keys(state).length > 0)) committed.add(round);
    for (const path of [files.samples, files.evalSamples]) {
      for await (const sample of iterateJsonl(path, Sample, { tolerateTornTail: true })) {
        const key = keyOf(round, sample.phase, sample.hinted, sample.problemId);
        const set = indices.get(key) ?? new Set<number>();
        set.add(sample.index);
        indices.set(key, set);
        spend.samples++;
        spend.promptTokens += sample.usage.promptTokens;
        spend.completionTokens += sample.usage.completionTokens;
        completion[sample.phase].samples++;
        completion[sample.phase].tokens += sample.usage.completionTokens;
        const price = configPrice(config, sample.model);
        spend.costUsd = spend.costUsd === null || !price ? null : spend.costUsd + costUsd(price, { prompt: sample.usage.promptTokens, completion: sample.usage.completionTokens });
      }
    }
  }
  return {
    indicesOf: (round, phase, hinted, problemId) => indices.get(keyOf(round, phase, hinted, problemId)),
    committed,
    policies: manifest.policies,
    spend,
    meanCompletion: Object.fromEntries((['train', 'eval'] as const).filter((phase) => completion[phase].samples > 0).map((phase) => [phase, completion[phase].tokens / completion[phase].samples])),
  };
}

function keyOf(round: number, phase: string, hinted: boolean, problemId: string): string {
  return `${round}\u0000${phase}\u0000${hinted ? 1 : 0}\u0000${problemId}`;
}
