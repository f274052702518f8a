import { z } from 'zod';
import { contentId, LineIssue, parseRecord, type ProblemFormatReader } from './format.ts';

const Gsm8kLine = z.object({ question: z.string().min(1), answer: z.string().min(1) });

/** GSM8K ends each solution with `#### <number>`; thousands separators are dropped from the gold. */
export function gsm8kGold(solution: string): string | undefined {
  const match = /####\s*(-?[\d,]*\.?\d+)\s*$/.exec(solution.trim());
  return match ? match[1].replace(/,/g, '') : undefined;
}

export const gsm8kFormat: ProblemFormatReader = {
  name: 'gsm8k',
  defaultVerifier: 'numeric',
  matches: (keys) => keys.has('question') && keys.has('answer'),
  read(record) {
    const raw = parseRecord(Gsm8kLine, record);
    const answer = gsm8kGold(raw.answer);
    if (answer === undefined) throw new LineIssue('answer does not end with "#### <number>"');
    return { id: contentId('gsm8k', raw.question), prompt: raw.question, answer, meta: { solution: raw.answer } };
  },
};
