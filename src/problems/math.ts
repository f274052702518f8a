import { z } from 'zod';
import { lastBoxed } from '../util/boxed.ts';
import { contentId, LineIssue, parseRecord, type ProblemFormatReader } from './format.ts';

const MathLine = z.object({
  problem: z.string().min(1),
  solution: z.string().min(1),
  answer: z.union([z.string(), z.number()]).transform(String).optional(),
  level: z.union([z.string(), z.number()]).optional(),
  type: z.string().optional(),
  subject: z.string().optional(),
  unique_id: z.string().min(1).optional(),
});

/** MATH (Hendrycks et al. 2021) and MATH-500 lines; the level becomes the group for per-group eval. */
export const mathFormat: ProblemFormatReader = {
  name: 'math',
  defaultVerifier: 'math',
  matches: (keys) => keys.has('problem') && keys.has('solution'),
  read(record) {
    const raw = parseRecord(MathLine, record);
    const answer = raw.answer ?? lastBoxed(raw.solution);
    if (answer === undefined) throw new LineIssue('no "answer" and the solution has no closed \\boxed{...}');
    const meta: Record<string, unknown> = { solution: raw.solution };
    const subject = raw.subject ?? raw.type;
    if (subject !== undefined) meta.subject = subject;
    if (raw.level !== undefined) {
      meta.level = raw.level;
      meta.group = typeof raw.level === 'number' ? `Level ${raw.level}` : raw.level;
    }
    return { id: raw.unique_id ?? contentId('math', raw.problem), prompt: raw.problem, answer, meta };
  },
};
