import { z } from 'zod';

export const ChatMessage = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** A verifier named by id, or by id with options that override the config's. */
export const VerifierRef = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }).strict(),
]);
export type VerifierRef = z.infer<typeof VerifierRef>;

export const Split = z.enum(['train', 'eval']);
export type Split = z.infer<typeof Split>;

/** One problem, after loading (whatever the file layout was). */
export const Problem = z.object({
  id: z.string().min(1),
  /** Plain text, or chat messages for problems that carry their own conversation. */
  prompt: z.union([z.string(), z.array(ChatMessage).min(1)]),
  /** The gold answer, as text (numbers are stored as their decimal text). */
  answer: z.string().optional(),
  /** Code tests: assert statements, or a HumanEval-style `check(candidate)` with `entryPoint`. */
  tests: z.string().optional(),
  entryPoint: z.string().optional(),
  verifier: VerifierRef.optional(),
  split: Split.optional(),
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type Problem = z.infer<typeof Problem>;

/** The problem's prompt as plain text (chat prompts joined by their user turns). */
export function problemText(problem: Problem): string {
  if (typeof problem.prompt === 'string') return problem.prompt;
  return problem.prompt.filter((m) => m.role === 'user').map((m) => m.content).join('\n\n');
}
