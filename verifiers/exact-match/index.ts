import { z } from 'zod';
import { defineVerifier } from '../../src/verify/define.ts';
import { goldOrError } from '../../src/verify/gold.ts';
import { extractAnswerText, extractChoice, normalizeText } from './extract-text.ts';
import { extractByPattern, PATTERN_FLAGS, patternProblem } from './pattern.ts';

const ExactMatchOptions = z
  .object({
    caseSensitive: z.boolean().default(false),
    /** `collapse` turns runs of whitespace into one space and trims; `remove` drops it all. */
    whitespace: z.enum(['collapse', 'remove', 'keep']).default('collapse'),
    /**
     * `trim` drops sentence punctuation, quotes and `*` at the ends ("**Paris**." → "paris", while
     * "C++" keeps its pluses); `remove` turns every punctuation mark and symbol into a space.
     */
    punctuation: z.enum(['keep', 'trim', 'remove']).default('trim'),
    /** Drop the English articles a, an, the. */
    articles: z.boolean().default(false),
    /** NFKC folds full-width and compatibility characters ("Ａ" → "A", "ﬁ" → "fi"). */
    unicode: z.enum(['nfkc', 'none']).default('nfkc'),
    /** A regular expression (RE2 syntax) that extracts the answer: its first capture group, else the whole match. */
    pattern: z
      .string()
      .check((ctx) => {
        const problem = patternProblem(ctx.value);
        if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
      })
      .optional(),
    patternFlags: z.string().regex(PATTERN_FLAGS, 'flags may only be i, m, s, u, y').default(''),
    /** Which match of `pattern` counts when there are several; models restate, so the last by default. */
    match: z.enum(['first', 'last']).default('last'),
    /** Multiple choice: the letters allowed, e.g. "ABCD"; the gold is one of them. */
    choices: z
      .string()
      .regex(/^[A-Za-z0-9]+$/, 'choices are letters or digits, e.g. "ABCD"')
      .optional(),
    /** Further accepted gold answers (aliases), normalized the same way. */
    alsoAccept: z.array(z.string()).default([]),
  })
  .strict();

/** Short text answers compared after normalization; multiple-choice letters with `choices`. */
export const exactMatch = defineVerifier({
  id: 'exact-match',
  description: 'Exact match after normalization (case, whitespace, punctuation, articles, NFKC), by regex or choice letter',
  version: '1.1.0',
  options: ExactMatchOptions,
  timeoutMs: 2_000,
  verify(problem, candidate, options) {
    const answer = goldOrError(problem);
    if (typeof answer !== 'string') return answer;
    if (options.choices !== undefined) return verifyChoice(answer, candidate, options.choices);

    const golds = [answer, ...options.alsoAccept].map((gold) => normalizeText(gold, options));
    const raw =
      options.pattern !== undefined
        ? extractByPattern(candidate, options.pattern, options.patternFlags, options.match)
        : extractAnswerText(candidate);
    if (raw === undefined) return { status: 'unparseable', reason: `pattern /${options.pattern}/ does not match the candidate` };
    const extracted = normalizeText(raw, options);
    if (extracted === '') return { status: 'unparseable', reason: 'the extracted answer is empty after normalization' };
    if (golds.includes(extracted)) return { status: 'correct', reason: `'${clip(extracted)}' matches the gold`, extracted };
    return { status: 'incorrect', reason: `'${clip(extracted)}' does not match gold '${clip(golds[0])}'`, extracted };
  },
});

function verifyChoice(gold: string, candidate: string, choices: string) {
  const goldLetter = extractChoice(gold, choices);
  if (goldLetter === undefined) {
    return { status: 'error', reason: `gold answer '${clip(gold)}' is not one of the choices ${choices}` } as const;
  }
  const extracted = extractChoice(candidate, choices);
  if (extracted === undefined) return { status: 'unparseable', reason: `no choice letter among ${choices} found` } as const;
  if (extracted === goldLetter) return { status: 'correct', reason: `chose ${extracted}, the gold`, extracted } as const;
  return { status: 'incorrect', reason: `chose ${extracted}, gold is ${goldLetter}`, extracted } as const;
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
