import { z } from 'zod';
import { ChatMessage, Split, VerifierRef, type Problem } from '../schema/problem.ts';
import { suggest } from '../util/did-you-mean.ts';
import { contentId, LineIssue, parseRecord, type ProblemFormatReader } from './format.ts';

/** Numbers are accepted where people naturally write them (ids, answers) and kept as text. */
const textOrNumber = z.union([z.string(), z.number()]).transform(String);

const NativeLine = z
  .object({
    id: textOrNumber.pipe(z.string().min(1, 'id must not be empty')).optional(),
    prompt: z.string().min(1, 'prompt must not be empty').optional(),
    messages: z.array(ChatMessage).min(1).optional(),
    answer: textOrNumber.optional(),
    /** Assert lines may be given as a list; they are run as one script. */
    tests: z.union([z.string(), z.array(z.string()).transform((lines) => lines.join('\n'))]).optional(),
    entryPoint: z.string().min(1).optional(),
    verifier: VerifierRef.optional(),
    split: Split.optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const nativeFormat: ProblemFormatReader = {
  name: 'native',
  defaultVerifier: 'numeric',
  matches: (keys) => keys.has('prompt') || keys.has('messages'),
  read(record) {
    rejectUnknownKeys(record);
    const raw = parseRecord(NativeLine, record);
    if (raw.prompt !== undefined && raw.messages !== undefined) throw new LineIssue('give either "prompt" or "messages", not both');
    const prompt = raw.prompt ?? raw.messages;
    if (prompt === undefined) throw new LineIssue('missing "prompt" (text) or "messages" (chat messages)');
    const problem: Problem = { id: raw.id ?? contentId('native', typeof prompt === 'string' ? prompt : JSON.stringify(prompt)), prompt, meta: raw.meta ?? {} };
    if (raw.answer !== undefined) problem.answer = raw.answer;
    if (raw.tests !== undefined) problem.tests = raw.tests;
    if (raw.entryPoint !== undefined) problem.entryPoint = raw.entryPoint;
    if (raw.verifier !== undefined) problem.verifier = raw.verifier;
    if (raw.split !== undefined) problem.split = raw.split;
    return problem;
  },
};

/** Extra data belongs in `meta`; an unknown top-level key is most often a typo (`anwser`). */
function rejectUnknownKeys(record: unknown): void {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return;
  const known = Object.keys(NativeLine.shape);
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const hints = unknown.map((key) => {
    const near = suggest(key, known, 1);
    return near.length ? `"${key}" (did you mean "${near[0]}"?)` : `"${key}"`;
  });
  throw new LineIssue(`unknown key ${hints.join(', ')}; put extra data under "meta"`);
}
