import type { GenerateConfig } from '../config/generate-schema.ts';
import type { RunConfig } from '../config/schema.ts';
import { AbortedError, ConfigError, FileFormatError, GenerateError, PolicyError } from '../errors.ts';
import type { CostFunction } from '../pipeline/params.ts';
import type { Generation, GenerateOptions, GenerationRequest, Policy, PolicyNotice } from '../policy/policy.ts';
import { problemText, type Problem, type VerifierRef } from '../schema/problem.ts';
import type { Usage } from '../schema/sample.ts';
import type { TokenTotals } from '../schema/summary.ts';
import { JsonlRecordSink } from '../store/record-sink.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import { answerCandidates, type Candidate } from './answer.ts';
import { drawExamples } from './draw.ts';
import { checkOutputSettings, outputSettings } from './output-settings.ts';
import { ReplyStore } from './reply-store.ts';
import { ProblemPool } from './pool.ts';
import { DroppedRequest, dropsPath, GeneratedProblem, generatedId, idPrefix, type DropReason } from './records.ts';
import { parseReply, renderWritingPrompt } from './reply.ts';
import { textRefusal } from './text-filters.ts';

export interface GenerateInput {
  config: RunConfig;
  settings: GenerateConfig;
  /** Seed problems, each with its answer. */
  seeds: readonly Problem[];
  /** New problems wanted in `out`, counting those already there. */
  count: number;
  out: string;
  /** Writes the problems and, for `self-consistency`, solves them. */
  writer: Policy;
  resolver: VerifierResolver;
  /** Written on each problem when the seeds' layout chose the verifier (none is configured). */
  verifier?: VerifierRef;
  cost: CostFunction;
  signal?: AbortSignal;
  log: (message: string) => void;
  /** What the user must see even with progress off. */
  warn: (message: string) => void;
  /** What the writer's backend wants the user to know (an endpoint taken out, retries). */
  onNotice?: (notice: PolicyNotice) => void;
}

export interface GenerateSummary {
  /** Problems in `out` now, and how many this call added. */
  kept: number;
  added: number;
  /** Writing requests answered, over every call. */
  requests: number;
  drops: Partial<Record<DropReason, number>>;
  tokens: TokenTotals;
  costUsd: number | null;
}

interface Kept {
  request: number;
  id: string;
  problem: string;
  answer: string;
}

/**
 * Self-Instruct for verifiable problems: writing prompts in batches of `settings.prompts`, each with
 * examples drawn from the pool as it stood before its batch; replies filtered (malformed, length,
 * blacklist, exact and normalized duplicates, ROUGE-L against the whole pool and the batch),
 * answered, and appended to `out`, until `count` problems are there.
 *
 * Resumable: every writing request has a number; a kept one is a line of `out` (appended when its
 * batch is answered), a dropped one a line of the drops file beside it, and every reply (writer's
 * and solver's) a line of the replies file as it arrives. A rerun reads them back (cutting a line
 * torn by kill -9) and decides only requests with neither, with the same examples and seed as
 * before and the replies already stored, so nothing is kept twice, nothing kept is lost, and only
 * replies in flight at the kill are paid for again. The settings that decide what is kept are
 * recorded beside the output, and a rerun under other ones is refused (output-settings.ts).
 */
export async function generateProblems(input: GenerateInput): Promise<GenerateSummary> {
  const { settings } = input;
  const maxRequests = settings.maxRequests ?? input.count * 10 + 100;
  const prefix = idPrefix(input.out);
  const taken = input.seeds.find((seed) => seed.id.startsWith(`${prefix}-`) && /^\d+$/.test(seed.id.slice(prefix.length + 1)));
  if (taken) throw new ConfigError(`seed ${taken.id} has an id of the kind ${input.out} gives its problems (${prefix}-N): write to a file of another name`);
  const pool = new ProblemPool(settings.rougeThreshold);
  const seeds = input.seeds.map((seed) => ({ id: seed.id, problem: problemText(seed), answer: seed.answer! }));
  // Before anything is read back (a torn line cut) or stored: an output holds problems filtered one way.
  await checkOutputSettings(input.out, outputSettings({ config: input.config, settings, seeds, ...(input.verifier !== undefined ? { verifier: input.verifier } : {}) }), input.warn);
  for (const seed of seeds) pool.add(seed.id, seed.problem);

  const keptSink = new JsonlRecordSink(input.out, GeneratedProblem, (p) => p.id);
  const dropSink = new JsonlRecordSink(dropsPath(input.out), DroppedRequest, (d) => String(d.request));
  const kept: Kept[] = [];
  const done = new Set<number>();
  const drops: Partial<Record<DropReason, number>> = {};
  const tokens: TokenTotals = { prompt: 0, completion: 0 };
  const spend = (usage: Usage) => {
    tokens.prompt += usage.promptTokens;
    tokens.completion += usage.completionTokens;
  };
  for await (const line of keptSink.scan()) {
    const { request } = line.meta.generated;
    if (done.has(request)) throw new FileFormatError(`${input.out}: writing request ${request} appears twice; the file was edited or written by two processes`);
    done.add(request);
    kept.push({ request, id: line.id, problem: line.prompt, answer: line.answer });
    pool.add(line.id, line.prompt);
    spend(line.meta.generated.usage);
  }
  for await (const drop of dropSink.scan()) {
    if (done.has(drop.request)) continue;
    done.add(drop.request);
    drops[drop.reason] = (drops[drop.reason] ?? 0) + 1;
    spend(drop.usage);
  }
  const store = new ReplyStore(input.out);
  const stored = await store.load((request) => done.has(request));
  const before = kept.length;
  if (done.size > 0 || stored > 0) {
    input.log(`resuming: ${kept.length} problems kept and ${done.size - kept.length} requests dropped in ${done.size} writing requests so far; ${stored} replies of undecided requests stored`);
  }

  let cursor = 0;
  try {
    while (kept.length < input.count) {
      if (input.signal?.aborted) throw new AbortedError();
      while (done.has(cursor)) cursor++;
      if (cursor >= maxRequests) {
        throw new GenerateError(
          'GENERATE_SHORT',
          `${kept.length} of ${input.count} problems after ${maxRequests} writing requests (generate.maxRequests); dropped: ${formatDrops(drops)}. Raise generate.maxRequests and rerun with the same arguments to continue.`,
        );
      }
      const batch = Math.floor(cursor / settings.prompts);
      const end = Math.min((batch + 1) * settings.prompts, maxRequests);
      const requests: number[] = [];
      for (let r = cursor; r < end && requests.length < input.count - kept.length; r++) if (!done.has(r)) requests.push(r);
      const batchStart = batch * settings.prompts;
      const examplePool = kept.filter((k) => k.request < batchStart);
      const outcome = await runBatch(input, prefix, requests, seeds, examplePool, pool, store);
      await keptSink.append(outcome.kept);
      await dropSink.append(outcome.drops);
      for (const line of outcome.kept) {
        kept.push({ request: line.meta.generated.request, id: line.id, problem: line.prompt, answer: line.answer });
        pool.add(line.id, line.prompt);
        spend(line.meta.generated.usage);
      }
      for (const drop of outcome.drops) {
        drops[drop.reason] = (drops[drop.reason] ?? 0) + 1;
        spend(drop.usage);
      }
      for (const r of requests) done.add(r);
      await store.settle(requests);
      const cost = input.cost(tokens);
      input.log(
        `requests ${requests[0]}–${requests.at(-1)}: kept ${outcome.kept.length}/${requests.length} · ${kept.length}/${input.count} problems · dropped ${formatDrops(drops)} · tok ${tokens.prompt}→${tokens.completion}${cost === null ? '' : ` · $${cost.toFixed(4)}`}`,
      );
    }
  } finally {
    await store.close();
    await keptSink.close();
    await dropSink.close();
  }
  return { kept: kept.length, added: kept.length - before, requests: done.size, drops, tokens, costUsd: input.cost(tokens) };
}

export function formatDrops(drops: Partial<Record<DropReason, number>>): string {
  const parts = Object.entries(drops).filter(([, n]) => n! > 0).map(([reason, n]) => `${reason} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

interface BatchOutcome {
  kept: GeneratedProblem[];
  drops: DroppedRequest[];
}

interface Example {
  id: string;
  problem: string;
  answer: string;
}

async function runBatch(
  input: GenerateInput,
  prefix: string,
  requests: readonly number[],
  seeds: readonly Example[],
  generated: readonly Example[],
  pool: ProblemPool,
  store: ReplyStore,
): Promise<BatchOutcome> {
  const { settings } = input;
  const draws = new Map(requests.map((r) => [r, drawExamples(seeds, generated, settings.seedExamples, settings.generatedExamples, settings.seed, r)]));
  const writing: GenerationRequest[] = requests.map((r) => {
    const text = renderWritingPrompt(settings.template, draws.get(r)!.examples);
    // The request number is the sample index, so each request has a seed of its own (seed + request).
    return { key: String(r), messages: [{ role: 'user', content: text }], text, indices: [r] };
  });
  const replies = new Map<number, Generation>();
  for (const r of requests) {
    const stored = store.get('write', r, 0, String(r));
    if (stored) replies.set(r, stored);
  }
  const ask = writing.filter((w) => !replies.has(Number(w.key)));
  const params = { temperature: settings.temperature, topP: input.config.sampling.topP, maxTokens: settings.maxTokens, seed: settings.seed };
  if (ask.length > 0) {
    for await (const generation of input.writer.generate(ask, params, callOptions(input))) {
      replies.set(Number(generation.key), generation);
      store.keep('write', Number(generation.key), 0, generation);
    }
  }

  const drops: DroppedRequest[] = [];
  const drop = (request: number, reason: DropReason, detail: string, usage: Usage, extra: { problem?: string; nearest?: string } = {}) =>
    drops.push({ request, reason, detail, ...extra, usage });
  // Candidates of this batch are compared with each other too: two near-duplicates written side by side keep one.
  const pending = new ProblemPool(settings.rougeThreshold);
  const candidates: (Candidate & { usage: Usage })[] = [];
  for (const request of requests) {
    const reply = replies.get(request);
    if (!reply) throw new PolicyError(`the writer ${input.writer.id} returned no reply to writing request ${request}`);
    const usage = { ...reply.usage };
    const parsed = parseReply(reply.text, reply.finishReason, settings.answer.method === 'teacher');
    if (!parsed.ok) {
      drop(request, 'malformed', parsed.why, usage);
      continue;
    }
    const text = parsed.written.problem;
    const own = textRefusal(text, settings);
    if (own) {
      drop(request, own.reason, own.detail, usage, { problem: text });
      continue;
    }
    const near = pool.refusal(text) ?? pending.refusal(text);
    if (near) {
      drop(request, near.reason, near.reason === 'rouge' ? `ROUGE-L ${near.score.toFixed(3)} with ${near.nearest}` : `repeats ${near.nearest}`, usage, { problem: text, nearest: near.nearest });
      continue;
    }
    const id = generatedId(prefix, request);
    pending.add(id, text);
    const problem: Problem = { id, prompt: text, meta: {}, ...(input.verifier !== undefined ? { verifier: input.verifier } : {}) };
    candidates.push({ request, problem, usage, ...(parsed.written.answer !== undefined ? { writerAnswer: parsed.written.answer } : {}) });
  }

  const answers = await answerCandidates(candidates, {
    config: input.config,
    settings: settings.answer,
    seed: settings.seed,
    solver: input.writer,
    resolver: input.resolver,
    options: callOptions(input),
    stored: (request, index, key) => store.get('solve', request, index, key),
    keep: (request, index, generation) => store.keep('solve', request, index, generation),
  });
  const keptHere = new ProblemPool(settings.rougeThreshold);
  const kept: GeneratedProblem[] = [];
  candidates.forEach((candidate, i) => {
    const outcome = answers[i];
    const usage = { promptTokens: candidate.usage.promptTokens + outcome.usage.promptTokens, completionTokens: candidate.usage.completionTokens + outcome.usage.completionTokens };
    const text = candidate.problem.prompt as string;
    if (!outcome.ok) {
      drop(candidate.request, outcome.reason, outcome.detail, usage, { problem: text });
      return;
    }
    const nearest = [pool.nearest(text), keptHere.nearest(text)].reduce((a, b) => (!b || (a && a.score >= b.score) ? a : b));
    const draw = draws.get(candidate.request)!;
    keptHere.add(candidate.problem.id, text);
    kept.push({
      id: candidate.problem.id,
      prompt: text,
      answer: outcome.answer,
      ...(input.verifier !== undefined ? { verifier: input.verifier } : {}),
      meta: {
        generated: {
          request: candidate.request,
          writer: replies.get(candidate.request)!.model,
          examples: draw.examples.map((e) => e.id),
          seeds: draw.seeds.map((e) => e.id),
          rougeL: { max: nearest?.score ?? 0, ...(nearest ? { nearest: nearest.id } : {}) },
          answer: outcome.provenance,
          usage,
        },
      },
    });
  });
  drops.sort((a, b) => a.request - b.request);
  return { kept, drops };
}

function callOptions(input: GenerateInput): GenerateOptions {
  return { ...(input.signal ? { signal: input.signal } : {}), ...(input.onNotice ? { onNotice: input.onNotice } : {}) };
}
