import { z } from 'zod';
import { VerifierRef } from '../schema/problem.ts';
import { Hyperparameters } from '../schema/training.ts';

const positiveInt = z.number().int().positive();

export const OpenAIEndpoint = z
  .object({
    baseURL: z.url(),
    /** Share of requests this endpoint gets relative to the others. */
    weight: z.number().positive().default(1),
    /** Environment variable holding this endpoint's key; defaults to the policy's `apiKeyEnv`. */
    apiKeyEnv: z.string().min(1).optional(),
  })
  .strict();
export type OpenAIEndpoint = z.infer<typeof OpenAIEndpoint>;

export const OpenAIPolicyConfig = z
  .object({
    type: z.literal('openai'),
    baseURL: z.url().optional(),
    endpoints: z.array(OpenAIEndpoint).min(1).optional(),
    model: z.string().min(1),
    /** Name of the environment variable that holds the API key; the key itself is never stored. */
    apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
    mode: z.enum(['chat', 'completions']).default('chat'),
    /** `auto`: ask for `n` per request and fan out for what the server did not return. */
    n: z.enum(['auto', 'native', 'fanout']).default('auto'),
    requestsPerMinute: z.number().positive().optional(),
    tokensPerMinute: z.number().positive().optional(),
    timeoutMs: positiveInt.default(600_000),
    maxRetries: z.number().int().min(0).default(5),
    /**
     * How long one request keeps waiting (with backoff, honouring retry-after) through answers of
     * 429 before it fails; rate limits do not count against maxRetries. Default 600000 (10 min).
     * No default is written into the config, so runs started before this key resume.
     */
    rateLimitPatienceMs: positiveInt.optional(),
    /** Extra request fields passed through as-is (e.g. vLLM's `top_k`). */
    extraBody: z.record(z.string(), z.unknown()).optional(),
    /** USD per million tokens, for the cost column; unknown cost is shown as such. */
    pricing: z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict().optional(),
  })
  .strict()
  .refine((p) => p.baseURL !== undefined || p.endpoints !== undefined, {
    message: 'give either policy.baseURL or policy.endpoints',
  });
export type OpenAIPolicyConfig = z.infer<typeof OpenAIPolicyConfig>;

export const EmbeddedPolicyConfig = z
  .object({
    type: z.literal('embedded'),
    /** Checkpoint file; the shipped base checkpoint when absent. */
    checkpoint: z.string().min(1).optional(),
    /** Worker processes for sampling (1 = in-process). */
    workers: z.number().int().min(1).max(64).optional(),
  })
  .strict();
export type EmbeddedPolicyConfig = z.infer<typeof EmbeddedPolicyConfig>;

export const PolicyConfig = z.discriminatedUnion('type', [OpenAIPolicyConfig, EmbeddedPolicyConfig]);
export type PolicyConfig = z.infer<typeof PolicyConfig>;

export const OpenAITrainConfig = z
  .object({
    type: z.literal('openai'),
    /** The model fine-tuning starts from; defaults to the policy's model. */
    base: z.string().min(1).optional(),
    restartFromBase: z.boolean().default(true),
    /** Defaults to the policy's first endpoint and key variable. */
    baseURL: z.url().optional(),
    apiKeyEnv: z.string().min(1).optional(),
    suffix: z.string().max(64).optional(),
    hyperparameters: Hyperparameters.optional(),
    pollIntervalMs: positiveInt.default(10_000),
    /** Give up waiting on a job after this long (it keeps running on the server). */
    timeoutMs: positiveInt.default(24 * 3600_000),
  })
  .strict();
export type OpenAITrainConfig = z.infer<typeof OpenAITrainConfig>;

export const CommandTrainConfig = z
  .object({
    type: z.literal('command'),
    /** Shell command with `{dataset}`, `{base}`, `{start}`, `{round}`, `{outDir}` substituted. */
    command: z.string().min(1),
    base: z.string().min(1).optional(),
    restartFromBase: z.boolean().default(true),
    timeoutMs: positiveInt.default(24 * 3600_000),
  })
  .strict();
export type CommandTrainConfig = z.infer<typeof CommandTrainConfig>;

export const EmbeddedTrainConfig = z
  .object({
    type: z.literal('embedded'),
    restartFromBase: z.boolean().default(true),
    steps: positiveInt.optional(),
    learningRate: z.number().positive().optional(),
    batchSize: positiveInt.optional(),
    workers: z.number().int().min(1).max(64).optional(),
  })
  .strict();
export type EmbeddedTrainConfig = z.infer<typeof EmbeddedTrainConfig>;

export const NoneTrainConfig = z.object({ type: z.literal('none') }).strict();

export const TrainConfig = z.discriminatedUnion('type', [OpenAITrainConfig, CommandTrainConfig, EmbeddedTrainConfig, NoneTrainConfig]);
export type TrainConfig = z.infer<typeof TrainConfig>;

export const ProblemFormat = z.enum(['auto', 'native', 'gsm8k', 'math', 'humaneval', 'mbpp']);
export type ProblemFormat = z.infer<typeof ProblemFormat>;

export const SamplingConfig = z
  .object({
    k: positiveInt.default(8),
    temperature: z.number().min(0).max(5).default(0.8),
    topP: z.number().gt(0).max(1).default(1),
    maxTokens: positiveInt.default(512),
    concurrency: positiveInt.default(16),
    stop: z.array(z.string()).max(4).optional(),
    seed: z.number().int().nonnegative().default(0),
  })
  .strict();
export type SamplingConfig = z.infer<typeof SamplingConfig>;

export const RunConfig = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only').default('starloop'),
    problems: z
      .object({
        train: z.string().min(1),
        eval: z.string().min(1).optional(),
        format: ProblemFormat.default('auto'),
        /** Use at most this many problems per split (first N by file order). */
        limit: positiveInt.optional(),
      })
      .strict(),
    /** Judges problems that name no verifier; by default the problem file's layout decides (MATH → math, HumanEval/MBPP → python-tests, else numeric). */
    verifier: VerifierRef.optional(),
    /** Plug-in verifier modules, paths relative to the config file. */
    verifiers: z.array(z.string().min(1)).default([]),
    policy: PolicyConfig.default({ type: 'embedded' }),
    sampling: SamplingConfig.default(SamplingConfig.parse({})),
    prompt: z
      .object({
        system: z.string().optional(),
        /** `{{problem}}` is replaced by the problem text, `{{id}}` by its id. */
        template: z.string().default('{{problem}}'),
      })
      .strict()
      .default({ template: '{{problem}}' }),
    rationalize: z
      .object({
        enabled: z.boolean().default(true),
        hintTemplate: z.string().default('{{problem}}\n(Hint: the answer is {{answer}}.)'),
        /** Samples drawn per failed problem with the hint. */
        k: positiveInt.default(2),
      })
      .strict()
      .default({ enabled: true, hintTemplate: '{{problem}}\n(Hint: the answer is {{answer}}.)', k: 2 }),
    select: z
      .object({
        maxPerProblem: positiveInt.default(4),
        dedupe: z.enum(['none', 'exact', 'normalized']).default('normalized'),
      })
      .strict()
      .default({ maxPerProblem: 4, dedupe: 'normalized' }),
    train: TrainConfig.default({ type: 'none' }),
    eval: z
      .object({
        k: positiveInt.default(4),
        temperature: z.number().min(0).max(5).optional(),
        maxTokens: positiveInt.optional(),
      })
      .strict()
      .default({ k: 4 }),
    rounds: z.number().int().min(0).max(1000).default(1),
    seed: z.number().int().nonnegative().default(0),
  })
  .strict();
export type RunConfig = z.infer<typeof RunConfig>;
