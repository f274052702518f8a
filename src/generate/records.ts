import { basename } from 'node:path';
import { z } from 'zod';
import { VerifierRef } from '../schema/problem.ts';
import { Usage } from '../schema/sample.ts';

/**
 * The ids of an output file's problems: its name without `.jsonl`, a dash and the writing request
 * (0-based, over every rerun), so problems grown into different files never share an id
 * (`grown.jsonl` holds `grown-0`, `grown-7`, …) and the files can be put together.
 */
export function idPrefix(out: string): string {
  return basename(out).replace(/\.jsonl$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_') || 'generated';
}
export const generatedId = (prefix: string, request: number) => `${prefix}-${request}`;

const score = z.number().min(0).max(1);

/** How a kept problem got its answer. */
export const AnswerProvenance = z.discriminatedUnion('method', [
  z.object({ method: z.literal('teacher') }).strict(),
  z
    .object({
      method: z.literal('self-consistency'),
      /** Share of the k solutions that gave the answer kept. */
      agreement: score,
      votes: z.number().int().positive(),
      k: z.number().int().positive(),
    })
    .strict(),
]);
export type AnswerProvenance = z.infer<typeof AnswerProvenance>;

/** Where a generated problem came from, under `meta.generated` of its line. */
export const GeneratedProvenance = z
  .object({
    request: z.number().int().nonnegative(),
    writer: z.string(),
    /** Ids of the pool problems shown as examples, seeds and generated ones. */
    examples: z.array(z.string()),
    /** The seeds among them. */
    seeds: z.array(z.string()),
    /** Its highest ROUGE-L F1 with the pool when it was kept, and that problem (absent when it shares no word with any). */
    rougeL: z.object({ max: score, nearest: z.string().optional() }).strict(),
    answer: AnswerProvenance,
    usage: Usage,
  })
  .strict();
export type GeneratedProvenance = z.infer<typeof GeneratedProvenance>;

/** One line of the output: a native problem line `starloop run` reads, provenance in `meta`. */
export const GeneratedProblem = z
  .object({
    id: z.string().min(1),
    prompt: z.string().min(1),
    answer: z.string().min(1),
    /** The seeds' layout's verifier, when no verifier is configured (a native file's own default may differ). */
    verifier: VerifierRef.optional(),
    meta: z.object({ generated: GeneratedProvenance }).strict(),
  })
  .strict();
export type GeneratedProblem = z.infer<typeof GeneratedProblem>;

export const DropReason = z.enum(['malformed', 'too-short', 'too-long', 'blacklist', 'exact-duplicate', 'normalized-duplicate', 'rouge', 'unreadable-answer', 'no-majority']);
export type DropReason = z.infer<typeof DropReason>;

/** One line of the drops file beside the output: a writing request whose problem was not kept, and why. */
export const DroppedRequest = z
  .object({
    request: z.number().int().nonnegative(),
    reason: DropReason,
    detail: z.string(),
    /** The problem text, when the reply had one. */
    problem: z.string().optional(),
    /** The pool problem it was too near, or repeated. */
    nearest: z.string().optional(),
    usage: Usage,
  })
  .strict();
export type DroppedRequest = z.infer<typeof DroppedRequest>;

/** The drops file of an output file. */
export const dropsPath = (out: string) => `${out}.drops.jsonl`;
