import { createHash } from 'node:crypto';
import type { Generation, GenerationRequest, Policy, SamplingParams } from '../../src/policy/policy.ts';
import { scriptedWriting, WRITING_MARKER } from './scripted-writer.ts';

/**
 * A scripted stand-in for a language model, for tests: it "knows" the answer to every problem
 * in `answers` (problem text → gold answer) and answers correctly with probability
 * `accuracy(modelId)`, deterministically given (model, prompt, seed + sample index).
 *
 * Conventions (documented so tests can rely on them):
 * - The problem is the `answers` key found in the prompt; when several are found (few-shot
 *   prompts quote solved examples), the one that appears last wins.
 * - A hint is `the answer is X` written after the problem (e.g. `(Hint: the answer is 42.)`).
 *   With probability `hintFollow` the model answers X; with probability `hintQuote` its
 *   rationale quotes the hint's line verbatim (so callers can test that such rationales are dropped).
 * - Replies end with `The answer is N.`; wrong answers are the gold answer plus 1..9 (or
 *   `unknown` for non-numeric answers). A prompt with no known problem gets `I do not know.`
 */
export interface ScriptedModelOptions {
  answers: Record<string, string>;
  /** Probability of a correct answer per sample. Default: 0.3 for base models, +0.25 per `ft:` level, at most 0.95. */
  accuracy?: (modelId: string) => number;
  /** Probability that a hinted sample answers with the hint. Default 0.9. */
  hintFollow?: number;
  /** Probability that a hinted rationale quotes the hint verbatim. Default 0.2. */
  hintQuote?: number;
  /** Answer writing prompts (`starloop generate`) as scripted-writer.ts describes, and learn the problems written. */
  writer?: boolean;
}

export function defaultAccuracy(modelId: string): number {
  const fineTunes = modelId.match(/(^|:)ft:/g)?.length ?? 0;
  return Math.min(0.95, 0.3 + 0.25 * fineTunes);
}

/** A uniform number in [0, 1) fixed by its parts. */
export function uniform(...parts: (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export interface ScriptedReply {
  text: string;
  correct: boolean;
  hinted: boolean;
  quotedHint: boolean;
}

export function scriptedReply(options: ScriptedModelOptions, modelId: string, prompt: string, seed: number): ScriptedReply {
  if (options.writer && prompt.includes(WRITING_MARKER)) {
    const written = scriptedWriting(modelId, prompt, seed);
    if (written.fresh) options.answers[written.fresh.problem] = written.fresh.answer;
    return { text: written.text, correct: false, hinted: false, quotedHint: false };
  }
  const found = findProblem(options.answers, prompt);
  if (!found) return { text: 'I do not know.', correct: false, hinted: false, quotedHint: false };
  const { problem, position } = found;
  const gold = options.answers[problem];
  const afterProblem = prompt.slice(position + problem.length);
  const hint = afterProblem.match(/^.*the answer is\s+([^\s)]+?)\.?(?:\)|\s|$).*$/im);
  const roll = uniform(modelId, problem, seed, 'answer');
  if (hint) {
    const follows = roll < (options.hintFollow ?? 0.9);
    const answer = follows ? hint[1] : wrongAnswer(gold, seed);
    const quotes = uniform(modelId, problem, seed, 'quote') < (options.hintQuote ?? 0.2);
    const reasoning = quotes ? `${hint[0].trim()} ` : 'Working through the steps carefully. ';
    return { text: `${reasoning}The answer is ${answer}.`, correct: answer === gold, hinted: true, quotedHint: quotes };
  }
  const correct = roll < (options.accuracy ?? defaultAccuracy)(modelId);
  const answer = correct ? gold : wrongAnswer(gold, seed);
  return { text: `Let me work through it step by step. The answer is ${answer}.`, correct, hinted: false, quotedHint: false };
}

function findProblem(answers: Record<string, string>, prompt: string): { problem: string; position: number } | undefined {
  let best: { problem: string; position: number } | undefined;
  for (const problem of Object.keys(answers)) {
    const position = prompt.lastIndexOf(problem);
    if (position < 0) continue;
    if (!best || position > best.position || (position === best.position && problem.length > best.problem.length)) best = { problem, position };
  }
  return best;
}

function wrongAnswer(gold: string, seed: number): string {
  const value = Number(gold.replace(/,/g, ''));
  if (!Number.isFinite(value)) return 'unknown';
  return String(value + 1 + Math.floor(uniform(gold, seed, 'wrong') * 9));
}

/** The scripted model as a Policy; each sample's seed is `params.seed + index`. */
export function createScriptedPolicy(options: ScriptedModelOptions, modelId: string): Policy {
  return {
    id: modelId,
    async *generate(requests: GenerationRequest[], params: SamplingParams): AsyncGenerator<Generation> {
      for (const request of requests) {
        for (const index of request.indices) {
          const started = performance.now();
          const reply = scriptedReply(options, modelId, request.text, params.seed + index);
          const text = reply.text.slice(0, params.maxTokens * 4);
          yield {
            key: request.key,
            index,
            text,
            finishReason: text.length < reply.text.length ? 'length' : 'stop',
            usage: { promptTokens: Math.ceil(request.text.length / 4), completionTokens: Math.ceil(text.length / 4) },
            model: modelId,
            latencyMs: performance.now() - started,
          };
        }
      }
    },
  };
}
