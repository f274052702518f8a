import type { GenerationRequest, Policy, PolicyNotice } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
import type { Sample, SamplingParams } from '../schema/sample.ts';
import type { TokenTotals } from '../schema/summary.ts';
import { sampleId } from '../store/sample-id.ts';
import type { RecordSink } from '../store/record-sink.ts';
import type { StateCell } from '../store/run-store.ts';
import type { RenderedPrompt } from './prompt.ts';

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
 * Draws k samples per problem, asking the policy only for indices not already stored, and appends
 * each sample to disk as soon as it arrives, so an interrupted stage loses nothing it paid for.
 * Returns every sample (stored and new) of these problems, ordered by problem then index.
 */
export async function sampleProblems(options: SampleOptions): Promise<Sample[]> {
  const { sink, round, phase, policy, k, params, hinted } = options;
  const stored = await sink.load();
  const wanted = new Map<string, { problem: Problem; ids: string[] }>();
  const requests: GenerationRequest[] = [];
  for (const problem of options.problems) {
    const prompt = options.render(problem);
    const ids = Array.from({ length: k }, (_, index) => sampleId({ problemId: problem.id, model: policy.id, prompt: prompt.messages, params, index }));
    const key = `${problem.id}${hinted ? '#hint' : ''}`;
    wanted.set(key, { problem, ids });
    const missing = ids.flatMap((id, index) => (stored.has(id) ? [] : [index]));
    if (missing.length) requests.push({ key, messages: prompt.messages, text: prompt.text, indices: missing, ids: missing.map((index) => ids[index]) });
  }

  const total = options.problems.length * k;
  let done = total - requests.reduce((sum, r) => sum + r.indices.length, 0);
  const tokens: TokenTotals = { prompt: 0, completion: 0 };
  options.onProgress?.(done, total, tokens);
  if (requests.length) {
    const generateOptions = { signal: options.signal, ...(options.onNotice ? { onNotice: options.onNotice } : {}), ...(options.state ? { state: options.state } : {}) };
    for await (const generation of policy.generate(requests, params, generateOptions)) {
      const entry = wanted.get(generation.key);
      if (!entry) continue;
      const sample: Sample = {
        id: entry.ids[generation.index],
        problemId: entry.problem.id,
        round,
        phase,
        index: generation.index,
        text: generation.text,
        finishReason: generation.finishReason,
        usage: generation.usage,
        model: generation.model,
        latencyMs: generation.latencyMs,
        cached: false,
        hinted,
      };
      if (stored.has(sample.id)) continue;
      await sink.append([sample]);
      stored.set(sample.id, sample);
      tokens.prompt += sample.usage.promptTokens;
      tokens.completion += sample.usage.completionTokens;
      options.onProgress?.(++done, total, tokens);
    }
  }
  const out: Sample[] = [];
  for (const { ids } of wanted.values()) {
    for (const id of ids) {
      const sample = stored.get(id);
      if (sample) out.push(sample);
    }
  }
  return out;
}

/** Token totals of a set of samples (stored and new alike), for the round summary. */
export function sumTokens(samples: readonly Sample[]): TokenTotals {
  return samples.reduce(
    (sum, s) => ({ prompt: sum.prompt + s.usage.promptTokens, completion: sum.completion + s.usage.completionTokens }),
    { prompt: 0, completion: 0 },
  );
}
