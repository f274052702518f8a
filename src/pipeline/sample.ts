import type { GenerateOptions, Policy, PolicyNotice } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
import type { Sample, SamplingParams } from '../schema/sample.ts';
import type { TokenTotals } from '../schema/summary.ts';
import type { RecordSink } from '../store/record-sink.ts';
import type { StateCell } from '../store/run-store.ts';
import type { RenderedPrompt } from './prompt.ts';
import { DrawIndex, State } from './sampling/draw-index.ts';
import { generationsFrom, sampleOf } from './sampling/generations.ts';
import type { GenerationRequest, RequestSource } from '../policy/policy.ts';

export interface SampleOptions {
  /** Where samples are stored: a run directory's file, or a plain JSONL file. */
  sink: RecordSink<Sample>;
  round: number;
  phase: 'train' | 'eval';
  policy: Policy;
  problems: readonly Problem[];
  /** Sample indices 0..k-1 are wanted per problem. */
  k: number;
  params: SamplingParams;
  render: (problem: Problem) => RenderedPrompt;
  hinted: boolean;
  signal?: AbortSignal;
  /** What the policy wants the user to see (an endpoint taken out, a batch's progress). */
  onNotice?: (notice: PolicyNotice) => void;
  /** Where a policy keeps requests that outlive the process (Batch API batches), so a rerun collects them. */
  state?: StateCell;
  onProgress?: (done: number, total: number, tokens: TokenTotals) => void;
}

/**
 * Draws k samples per problem without judging them (`starloop sample`), asking the policy only for
 * indices not already stored, and appends each sample as it arrives, so an interrupted command
 * loses nothing it paid for. Returns how many samples the problems have now, stored and new.
 * (A run's rounds draw and verify together: see sampling/draw.ts.)
 */
export async function sampleProblems(options: SampleOptions): Promise<{ samples: number; drawn: number }> {
  const { sink, k, hinted } = options;
  const index = new DrawIndex(options.problems, { model: options.policy.id, params: options.params, render: options.render, hinted, cap: k });
  let stored = 0;
  for await (const sample of sink.scan()) {
    const entry = index.owner(sample, sample.id);
    if (!entry || entry.state(sample.index) !== State.Empty) continue;
    entry.set(sample.index, State.Stored);
    stored++;
  }
  const total = options.problems.length * k;
  const tokens: TokenTotals = { prompt: 0, completion: 0 };
  let drawn = 0;
  options.onProgress?.(stored, total, tokens);
  let next = 0;
  const source: RequestSource = {
    async take(max) {
      const batch: GenerationRequest[] = [];
      while (batch.length < max && next < index.entries.length) {
        const entry = index.entries[next++];
        const indices = Array.from({ length: k }, (_, i) => i).filter((i) => entry.state(i) === State.Empty);
        for (const i of indices) entry.set(i, State.Requested);
        if (indices.length) batch.push({ key: entry.key, ...entry.prompt(), indices, idOf: (i) => entry.idOf(i) });
      }
      return batch.length ? batch : undefined;
    },
  };
  try {
    for await (const generation of generationsFrom(options.policy, source, options.params, generateOptionsOf(options))) {
      const entry = index.byKey(generation.key);
      if (!entry || entry.state(generation.index) !== State.Requested) continue;
      entry.set(generation.index, State.Stored);
      const sample = sampleOf(generation, { id: entry.idOf(generation.index), problemId: entry.problem.id, round: options.round, phase: options.phase, hinted });
      void sink.append([sample]).catch(() => undefined);
      drawn++;
      tokens.prompt += sample.usage.promptTokens;
      tokens.completion += sample.usage.completionTokens;
      options.onProgress?.(stored + drawn, total, tokens);
    }
  } finally {
    await sink.close();
  }
  return { samples: stored + drawn, drawn };
}

/** What a draw passes the policy besides the requests: the signal, where notices go, the state cell of requests that outlive the process. */
export function generateOptionsOf(options: { signal?: AbortSignal; onNotice?: (notice: PolicyNotice) => void; state?: StateCell }): GenerateOptions {
  return { signal: options.signal, ...(options.onNotice ? { onNotice: options.onNotice } : {}), ...(options.state ? { state: options.state } : {}) };
}
