import type { GenerateAnswerConfig } from '../config/generate-schema.ts';
import type { RunConfig } from '../config/schema.ts';
import { trainSamplingParams } from '../pipeline/params.ts';
import { renderPrompt } from '../pipeline/prompt.ts';
import type { Generation, GenerateOptions, GenerationRequest, Policy } from '../policy/policy.ts';
import type { Problem } from '../schema/problem.ts';
import type { Usage } from '../schema/sample.ts';
import { majorityVote, readAnswers } from '../verify/read-answers.ts';
import type { VerifierResolver } from '../verify/resolver.ts';
import { runVerifier } from '../verify/run.ts';
import type { AnswerProvenance } from './records.ts';

/** A problem that passed the text and pool filters, waiting for its answer. */
export interface Candidate {
  /** The writing request that wrote it. */
  request: number;
  problem: Problem;
  /** The writer's answer, when it gave one. */
  writerAnswer?: string;
}

export type AnswerOutcome =
  | { ok: true; answer: string; provenance: AnswerProvenance; usage: Usage }
  | { ok: false; reason: 'unreadable-answer' | 'no-majority'; detail: string; usage: Usage };

export interface AnswerContext {
  config: RunConfig;
  settings: GenerateAnswerConfig;
  seed: number;
  solver: Policy;
  resolver: VerifierResolver;
  options?: GenerateOptions;
  /** A solution stored before (a rerun after a kill), so it is not asked for again. */
  stored?: (request: number, index: number, key: string) => Generation | undefined;
  /** Called with each solution as it arrives. */
  keep?: (request: number, index: number, generation: Generation) => void;
}

const noUsage = (): Usage => ({ promptTokens: 0, completionTokens: 0 });

/**
 * Gives each candidate its gold answer, or says why it has none. `teacher`: the writer's answer,
 * if the verifier reads it as a gold answer and accepts it against itself. `self-consistency`: k solutions by the solver (the
 * run's prompt and sampling settings), read by the verifier as it reads any candidate, and the
 * majority answer kept when alone at the top with at least `minShare` of the k.
 */
export async function answerCandidates(candidates: readonly Candidate[], context: AnswerContext): Promise<AnswerOutcome[]> {
  if (candidates.length === 0) return [];
  if (context.settings.method === 'teacher') return Promise.all(candidates.map((candidate) => teacherAnswer(candidate, context)));
  const { k, minShare } = context.settings;
  const solutions = candidates.map((candidate, i) => Array.from({ length: k }, (_, index) => context.stored?.(candidate.request, index, String(i))));
  const requests: GenerationRequest[] = candidates.flatMap((candidate, i) => {
    const indices = solutions[i].flatMap((solution, index) => (solution ? [] : [index]));
    if (indices.length === 0) return [];
    const prompt = renderPrompt(context.config, candidate.problem);
    return [{ key: String(i), messages: prompt.messages, text: prompt.text, indices }];
  });
  if (requests.length > 0) {
    for await (const generation of context.solver.generate(requests, { ...trainSamplingParams(context.config), seed: context.seed }, context.options)) {
      const i = Number(generation.key);
      solutions[i][generation.index] = generation;
      context.keep?.(candidates[i].request, generation.index, generation);
    }
  }
  const replies = solutions.map((list) => list.filter((solution) => solution !== undefined));
  return Promise.all(
    candidates.map(async (candidate, i): Promise<AnswerOutcome> => {
      const usage = noUsage();
      for (const reply of replies[i]) {
        usage.promptTokens += reply.usage.promptTokens;
        usage.completionTokens += reply.usage.completionTokens;
      }
      const read = await readAnswers(context.resolver, candidate.problem, replies[i].map((reply) => reply.text));
      const failed = read.find((r) => r.answer === undefined && r.error);
      const vote = majorityVote(read.map((r) => r.answer), minShare);
      if (vote.winner === undefined) {
        const why = failed && failed.answer === undefined ? `; ${failed.error}` : '';
        return { ok: false, reason: 'no-majority', detail: `${vote.reason}: top answer ${vote.votes}/${replies[i].length}${why}`, usage };
      }
      return { ok: true, answer: vote.winner, provenance: { method: 'self-consistency', agreement: vote.share, votes: vote.votes, k: vote.samples }, usage };
    }),
  );
}

async function teacherAnswer(candidate: Candidate, context: AnswerContext): Promise<AnswerOutcome> {
  const usage = noUsage();
  if (candidate.writerAnswer === undefined) return { ok: false, reason: 'unreadable-answer', detail: 'the writer gave no answer', usage };
  // The verifier must read it as a gold answer and accept it as a candidate against itself, or a run would judge against nothing.
  const gold = { ...candidate.problem, answer: candidate.writerAnswer };
  const { verifier, options } = context.resolver.resolve(gold);
  const verdict = await runVerifier(verifier, gold, candidate.writerAnswer, options);
  if (verdict.status !== 'correct') {
    return { ok: false, reason: 'unreadable-answer', detail: `verifier '${verifier.id}' does not accept "${candidate.writerAnswer.slice(0, 80)}" as its gold answer (${verdict.status}${verdict.reason ? `: ${verdict.reason}` : ''})`, usage };
  }
  return { ok: true, answer: candidate.writerAnswer, provenance: { method: 'teacher' }, usage };
}
