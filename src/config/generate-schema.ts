import { z } from 'zod';

const positiveInt = z.number().int().positive();

/**
 * Self-Instruct's keyword filter (Wang et al. 2022, self_instruct/bootstrap_instructions.py) with
 * the words Stanford Alpaca added (generate_instruction.py): tasks a text model cannot do.
 */
export const DEFAULT_BLACKLIST = ['image', 'images', 'graph', 'graphs', 'picture', 'pictures', 'file', 'files', 'map', 'maps', 'draw', 'plot', 'go to', 'video', 'audio', 'music', 'flowchart', 'diagram'];

export const DEFAULT_GENERATE_TEMPLATE = [
  'Here are some problems, each with its answer:',
  '',
  '{{examples}}',
  '',
  'Write one new problem of the same kind. It must differ from every problem above, be self-contained, and have exactly one correct answer.',
  'Reply in the same format (a "Problem:" line, then an "Answer:" line) and nothing else.',
].join('\n');

export const GenerateAnswerConfig = z
  .object({
    method: z
      .enum(['teacher', 'self-consistency'])
      .default('self-consistency')
      .describe(
        'How a new problem gets its gold answer: `teacher` (the answer the writer gave with it, kept only when the verifier takes it as a gold answer and accepts it against itself), or `self-consistency` (the majority answer of `k` solutions by the writer model, sampled with `prompt` and `sampling`, answers read and compared by the verifier; kept only when its share reaches `minShare`, as in "Large Language Models Can Self-Improve").',
      ),
    k: positiveInt.max(256).default(8).describe('Solutions sampled per new problem (`self-consistency`).'),
    minShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe('Least share of the k solutions that must give the majority answer (`self-consistency`); a tie is no majority.'),
  })
  .strict();
export type GenerateAnswerConfig = z.infer<typeof GenerateAnswerConfig>;

export const GenerateConfig = z
  .object({
    seedExamples: z
      .number()
      .int()
      .min(0)
      .max(64)
      .default(6)
      .describe('Seed problems shown in each writing prompt (Self-Instruct shows 6 seeds and 2 generated tasks).'),
    generatedExamples: z
      .number()
      .int()
      .min(0)
      .max(64)
      .default(2)
      .describe('Problems generated earlier shown in each writing prompt (fewer while fewer exist; seeds fill the gap).'),
    prompts: positiveInt.max(10_000).default(8).describe('Writing prompts per batch; a batch is drawn from the pool as it was, then filtered and answered before the next one.'),
    template: z
      .string()
      .min(1)
      .default(DEFAULT_GENERATE_TEMPLATE)
      .describe('The writing prompt (one user turn); `{{examples}}` is replaced by the examples, each `Problem: …` then `Answer: …`, separated by blank lines. Replies are read in that format.'),
    temperature: z.number().min(0).max(5).default(0.7).describe('Sampling temperature of the writer (Self-Instruct used 0.7).'),
    maxTokens: positiveInt.default(512).describe('Longest writer reply, in tokens; a reply cut at this length is dropped as malformed.'),
    rougeThreshold: z
      .number()
      .gt(0)
      .max(1)
      .default(0.7)
      .describe('A new problem is kept only if its ROUGE-L F1 (lower-cased alphanumeric words) with every problem in the pool, seeds and kept ones, is below this (Self-Instruct: 0.7).'),
    minWords: positiveInt.default(4).describe('Fewest words in a new problem (Self-Instruct drops instructions of 3 words or fewer).'),
    maxWords: positiveInt.default(150).describe('Most words in a new problem (Self-Instruct drops those over 150).'),
    blacklist: z
      .array(z.string().min(1))
      .default(DEFAULT_BLACKLIST)
      .describe("Problems containing one of these words or phrases (whole words, any case) are dropped; Self-Instruct's and Alpaca's list by default."),
    answer: GenerateAnswerConfig.default(GenerateAnswerConfig.parse({})).describe('How each new problem gets its answer.'),
    maxRequests: positiveInt
      .optional()
      .describe('Writing prompts to send at most, over every rerun, before giving up short of `--count` (an error that says how far it got). 10 per problem asked for, plus 100, when absent.'),
    seed: z.number().int().nonnegative().default(0).describe('Seed of the example draws and of the writer and solver samples.'),
  })
  .strict();
export type GenerateConfig = z.infer<typeof GenerateConfig>;
