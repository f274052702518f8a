import { existsSync } from 'node:fs';
import type { RunConfig } from '../config/schema.ts';
import { costUsd, type Price, priceOf } from '../pricing/prices.ts';
import { promptCounter } from '../pricing/tokens.ts';
import { Sample } from '../schema/sample.ts';
import { iterateJsonl } from '../store/jsonl.ts';
import { listRoundDirs } from '../store/run-reader.ts';
import type { RunStore } from '../store/run-store.ts';
import type { SampleEstimate, Spend } from './budget.ts';
import type { RenderedPrompt } from './prompt.ts';

/** The price a run's config gives `model`: `policy.pricing` first, then the built-in table; the embedded model costs nothing. */
export function configPrice(config: Pick<RunConfig, 'policy'>, model: string): Price | undefined {
  if (config.policy.type === 'embedded') return { input: 0, output: 0 };
  return priceOf(model, config.policy.pricing);
}

/** Estimates a sample's most cost before it is drawn: its prompt counted as `model`'s tokenizer counts it, and `maxTokens` of completion. */
export type SampleEstimator = (prompt: RenderedPrompt, maxTokens: number) => SampleEstimate;

export async function sampleEstimator(config: RunConfig, model: string): Promise<SampleEstimator> {
  const counter = await promptCounter(model);
  const chat = config.policy.type !== 'openai' || config.policy.mode === 'chat';
  const cache = new WeakMap<RenderedPrompt, number>();
  return (prompt, maxTokens) => {
    let promptTokens = cache.get(prompt);
    if (promptTokens === undefined) {
      promptTokens = chat ? counter.chat(prompt.messages) : counter.text(prompt.text);
      cache.set(prompt, promptTokens);
    }
    return { promptTokens, completionTokens: maxTokens };
  };
}

/**
 * What a run directory's samples have cost so far: every sample of every round and phase, priced
 * by the model that drew it. Read once when a run with a budget starts, so caps hold across resumes.
 */
export async function storedSpend(store: RunStore, config: RunConfig): Promise<Spend> {
  const spend: Spend = { samples: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
  if (!existsSync(store.layout.dir)) return spend;
  for (const round of await listRoundDirs(store.layout.dir)) {
    const files = store.layout.round(round);
    for (const path of [files.samples, files.evalSamples]) {
      for await (const sample of iterateJsonl(path, Sample, { tolerateTornTail: true })) {
        spend.samples++;
        spend.promptTokens += sample.usage.promptTokens;
        spend.completionTokens += sample.usage.completionTokens;
        const price = configPrice(config, sample.model);
        spend.costUsd = spend.costUsd === null || !price ? null : spend.costUsd + costUsd(price, { prompt: sample.usage.promptTokens, completion: sample.usage.completionTokens });
      }
    }
  }
  return spend;
}
