import { z } from 'zod';
import { VerifierRef } from '../schema/problem.ts';
import { ContaminationOptions } from '../problems/contamination/guard.ts';
import { DpoHyperparameters } from '../schema/training.ts';
import { GenerateConfig } from './generate-schema.ts';
import { STEPS_DESCRIPTION, StepsSchedule } from './steps-schema.ts';

// Descriptions are the reference documentation: docs/config.md and schema/config.schema.json are
// generated from them (npm run docs), and editors show them while completing YAML keys.

const positiveInt = z.number().int().positive();

export const OpenAIEndpoint = z
  .object({
    baseURL: z.url().describe('OpenAI-compatible API base URL, e.g. http://127.0.0.1:8000/v1.'),
    weight: z
      .number()
      .positive()
      .default(1)
      .describe('Relative capacity: requests in flight are balanced in proportion to `weight` × (`maxConcurrency`, or `sampling.concurrency` when absent), so a faster endpoint, which finishes sooner, gets more requests.'),
    maxConcurrency: positiveInt.optional().describe('Requests in flight to this endpoint at most; no limit of its own when absent (`sampling.concurrency` still caps the total).'),
    apiKeyEnv: z.string().min(1).optional().describe("Environment variable holding this endpoint's key; the policy's `apiKeyEnv` when absent."),
  })
  .strict();
export type OpenAIEndpoint = z.infer<typeof OpenAIEndpoint>;

export const OpenAIBatchConfig = z
  .object({
    pollIntervalMs: positiveInt.default(30_000).describe('How often a submitted batch is polled.'),
    maxRequests: z
      .number()
      .int()
      .min(1)
      .max(50_000)
      .default(50_000)
      .describe('Requests per batch at most (OpenAI takes 50,000 and 200 MB per input file); more samples are split over several batches.'),
  })
  .strict();
export type OpenAIBatchConfig = z.infer<typeof OpenAIBatchConfig>;

export const OpenAIPolicyConfig = z
  .object({
    type: z.literal('openai').describe('Sample from an OpenAI-compatible server (OpenAI, vLLM, SGLang, Ollama, llama.cpp, `starloop serve`).'),
    baseURL: z.url().optional().describe('API base URL; give this or `endpoints`.'),
    endpoints: z
      .array(OpenAIEndpoint)
      .min(1)
      .optional()
      .describe(
        'Several servers sharing the requests by load: each request goes to the endpoint with the fewest in flight relative to its capacity; one that keeps failing is taken out with a warning and tried again later. Give this or `baseURL`.',
      ),
    model: z.string().min(1).describe('Model id to sample from in round 0.'),
    apiKeyEnv: z
      .string()
      .min(1)
      .default('OPENAI_API_KEY')
      .describe('Name of the environment variable that holds the API key; the key itself is never stored. Loopback servers need none.'),
    mode: z.enum(['chat', 'completions']).default('chat').describe('`/v1/chat/completions` with messages, or `/v1/completions` with the prompt as text.'),
    n: z
      .enum(['auto', 'native', 'fanout'])
      .default('auto')
      .describe('Several samples per request (`native`), one request per sample (`fanout`), or `auto`: ask for n and fan out for what the server did not return.'),
    requestsPerMinute: z.number().positive().optional().describe('Space request starts to stay under this rate.'),
    tokensPerMinute: z.number().positive().optional().describe('Hold requests back to stay under this many tokens a minute.'),
    timeoutMs: positiveInt.default(600_000).describe('Time limit of one request.'),
    maxRetries: z.number().int().min(0).default(5).describe('Retries of a failed request, with backoff.'),
    rateLimitPatienceMs: positiveInt
      .optional()
      .describe('How long one request keeps waiting through 429 answers (with backoff, honouring retry-after) before it fails; rate limits do not count against maxRetries. 600000 (10 min) when absent.'),
    extraBody: z.record(z.string(), z.unknown()).optional().describe("Extra request fields passed through as they are (e.g. vLLM's `top_k`)."),
    batch: z
      .union([z.boolean(), OpenAIBatchConfig])
      .default(false)
      .describe(
        'Sample through the OpenAI Batch API (`/v1/batches`: about half price, results within 24 h) instead of one request per sample: `true`, or the settings below. Needs a single endpoint.',
      ),
    pricing: z
      .object({
        input: z.number().nonnegative().describe('USD per million prompt tokens.'),
        output: z.number().nonnegative().describe('USD per million completion tokens.'),
        batchFactor: z
          .number()
          .gt(0)
          .max(1)
          .default(0.5)
          .describe('With `batch` on, samples cost this fraction of `input` and `output`: OpenAI bills Batch API requests at 50% of the synchronous price.'),
      })
      .strict()
      .optional()
      .describe('Prices for the cost column; without them cost is shown as unknown.'),
  })
  .strict()
  .refine((p) => p.baseURL !== undefined || p.endpoints !== undefined, {
    message: 'give either policy.baseURL or policy.endpoints',
  })
  .refine((p) => p.batch === false || (p.endpoints?.length ?? 1) === 1, {
    message: 'policy.batch sends every request to one server: give policy.baseURL or a single endpoint',
    path: ['batch'],
  });
export type OpenAIPolicyConfig = z.infer<typeof OpenAIPolicyConfig>;

export const EmbeddedPolicyConfig = z
  .object({
    type: z.literal('embedded').describe("Sample from starloop's built-in tiny transformer, in-process."),
    checkpoint: z.string().min(1).optional().describe('Checkpoint file to start from; the shipped base checkpoint when absent.'),
    workers: z.number().int().min(1).max(64).optional().describe('Worker threads for sampling (1, the default, samples in-process).'),
  })
  .strict();
export type EmbeddedPolicyConfig = z.infer<typeof EmbeddedPolicyConfig>;

export const PolicyConfig = z.discriminatedUnion('type', [OpenAIPolicyConfig, EmbeddedPolicyConfig]);
export type PolicyConfig = z.infer<typeof PolicyConfig>;

const teacherRounds = z
  .enum(['every', 'first'])
  .default('every')
  .describe('Rounds whose training data the teacher samples: `every` round, or only the `first` (round 0; later rounds sample the student, as STaR does).');

/** A second model that writes the training data while `policy` (the student) is trained and evaluated. */
export const TeacherConfig = z.discriminatedUnion('type', [
  OpenAIPolicyConfig.safeExtend({ model: z.string().min(1).describe('Model id of the teacher, in every round it samples.'), rounds: teacherRounds }),
  EmbeddedPolicyConfig.extend({ rounds: teacherRounds }),
]);
export type TeacherConfig = z.infer<typeof TeacherConfig>;

const restartFromBase = z
  .boolean()
  .default(true)
  .describe("Train every round from the base model (true) or from the previous round's model (false).");

export const ServeConfig = z
  .object({
    type: z
      .enum(['vllm-lora', 'sglang-lora'])
      .describe("Load the trainer's adapter into every policy endpoint at runtime: vLLM's `/v1/load_lora_adapter` (start vLLM with `--enable-lora` and `VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`) or SGLang's `/load_lora_adapter` (`--enable-lora`)."),
    unload: z.boolean().default(true).describe("Unload an earlier round's adapter once the next one is loaded; `false` keeps every round's adapter served."),
    name: z
      .string()
      .min(1)
      .default('{model}-r{round}')
      .describe('The adapter name on every endpoint: `{model}` (the trainer\'s model name), `{round}` (the policy entry it becomes) and `{run}` (the run name) are replaced; it must contain `{round}`.'),
    timeoutMs: positiveInt.default(300_000).describe('Time limit of one load, unload or listing request.'),
  })
  .strict()
  .refine((serve) => serve.name.includes('{round}'), { message: 'serve.name must contain {round}: every round gets its own adapter', path: ['name'] });
export type ServeConfig = z.infer<typeof ServeConfig>;

export const PairsConfig = z
  .object({
    maxPerProblem: positiveInt.default(1).describe('Preference pairs per problem and round at most.'),
    pick: z
      .enum(['first', 'random'])
      .default('first')
      .describe('Which samples pair up: the lowest sample indices (`first`) or a seeded random choice (`random`, seeded by the run seed, the round and the problem).'),
    rejected: z
      .array(z.enum(['incorrect', 'unparseable']))
      .min(1)
      .default(['incorrect'])
      .describe('Verdicts a rejected answer may have: `incorrect` (verified wrong) and, if listed, `unparseable` (no answer found). `error` verdicts are never used.'),
  })
  .strict();
export type PairsConfig = z.infer<typeof PairsConfig>;

export const OpenAITrainConfig = z
  .object({
    type: z.literal('openai').describe('Fine-tune through the OpenAI fine-tuning API (`/v1/files`, `/v1/fine_tuning/jobs`).'),
    base: z.string().min(1).optional().describe("The model fine-tuning starts from; the policy's model when absent."),
    restartFromBase,
    baseURL: z.url().optional().describe("API base URL; the policy's first endpoint when absent."),
    apiKeyEnv: z.string().min(1).optional().describe("Environment variable holding the key; the policy's `apiKeyEnv` when absent."),
    suffix: z.string().max(64).optional().describe('Suffix the provider adds to the fine-tuned model name.'),
    method: z
      .enum(['supervised', 'dpo'])
      .optional()
      .describe("`supervised` (the default) trains on the round's dataset; `dpo` trains on the round's preference pairs (a verified-correct against a verified-incorrect answer to one prompt) through the fine-tuning API's DPO method."),
    pairs: PairsConfig.optional().describe('How the preference pairs of `method: dpo` are chosen (one pair per problem, lowest indices, when absent).'),
    hyperparameters: DpoHyperparameters.optional().describe("Passed to the job as they are (`beta` only with `method: dpo`); the provider's defaults when absent."),
    pollIntervalMs: positiveInt.default(10_000).describe('How often to poll the job.'),
    timeoutMs: positiveInt.default(24 * 3600_000).describe('Stop waiting on a job after this long (it keeps running on the server).'),
  })
  .strict()
  .refine((train) => train.method === 'dpo' || train.hyperparameters?.beta === undefined, { message: 'hyperparameters.beta is a DPO hyperparameter: set method: dpo', path: ['hyperparameters', 'beta'] })
  .refine((train) => train.method === 'dpo' || train.pairs === undefined, { message: 'pairs are for method: dpo', path: ['pairs'] });
export type OpenAITrainConfig = z.infer<typeof OpenAITrainConfig>;

export const CommandTrainConfig = z
  .object({
    type: z.literal('command').describe('Run your own training command (TRL, axolotl, …).'),
    command: z
      .string()
      .min(1)
      .describe(
        'Shell command with `{dataset}`, `{base}`, `{start}`, `{round}`, `{outDir}` and `{steps}` (needs `steps`) substituted (`{dataset}` and `{outDir}` as absolute paths); it runs in the directory starloop was started in, and its last stdout line is `{"model": "…", "checkpoint"?: "…"}`.',
      ),
    base: z.string().min(1).optional().describe("The base model given as `{base}`; the policy's model when absent."),
    restartFromBase,
    steps: StepsSchedule.optional().describe(`${STEPS_DESCRIPTION} Given to the command as \`{steps}\`.`),
    timeoutMs: positiveInt.default(24 * 3600_000).describe('Kill the command after this long.'),
    serve: ServeConfig.optional().describe(
      "Serve each trained adapter from the policy's own servers (vLLM or SGLang) and sample the next round from it; needs `policy.type: openai`; the command's last line gives the adapter directory as `checkpoint`.",
    ),
  })
  .strict();
export type CommandTrainConfig = z.infer<typeof CommandTrainConfig>;

export const EmbeddedTrainConfig = z
  .object({
    type: z.literal('embedded').describe('Fine-tune the built-in model in-process (needs `policy.type: embedded`).'),
    restartFromBase,
    steps: StepsSchedule.optional().describe(`${STEPS_DESCRIPTION} 200 every round when absent.`),
    learningRate: z.number().positive().optional().describe('AdamW learning rate (0.001 when absent).'),
    batchSize: positiveInt.optional().describe('Sequences per step (32 when absent).'),
  })
  .strict();
export type EmbeddedTrainConfig = z.infer<typeof EmbeddedTrainConfig>;

export const NoneTrainConfig = z
  .object({ type: z.literal('none').describe("No training: write round 0's dataset and stop.") })
  .strict();

export const TrainConfig = z.discriminatedUnion('type', [OpenAITrainConfig, CommandTrainConfig, EmbeddedTrainConfig, NoneTrainConfig]);
export type TrainConfig = z.infer<typeof TrainConfig>;

export const ProblemFormat = z.enum(['auto', 'native', 'gsm8k', 'math', 'humaneval', 'mbpp']);
export type ProblemFormat = z.infer<typeof ProblemFormat>;

export const SamplingConfig = z
  .object({
    k: positiveInt.default(8).describe('Samples drawn per train problem each round.'),
    temperature: z.number().min(0).max(5).default(0.8).describe('Sampling temperature.'),
    topP: z.number().gt(0).max(1).default(1).describe('Nucleus sampling: the smallest token set with this much probability.'),
    maxTokens: positiveInt.default(512).describe('Longest completion, in tokens.'),
    concurrency: positiveInt.default(16).describe('Requests in flight.'),
    stop: z.array(z.string()).max(4).optional().describe('Stop sequences (at most 4).'),
    seed: z.number().int().nonnegative().default(0).describe('Base sampling seed; each sample gets its own seed derived from it, for backends that take one.'),
    strategy: z
      .enum(['fixed', 'stop-after-correct', 'uniform', 'prop2diff'])
      .default('fixed')
      .describe(
        'How many train samples each problem gets: `fixed` (k each), `stop-after-correct` (stop a problem at its `correct`-th correct sample, at most k), `uniform` (DART-Math: until `correct` correct samples or `maxK`), `prop2diff` (DART-Math: probe each problem with k samples, then want correct samples in proportion to its fail rate, `correct` for the hardest, until `maxK`). Decisions follow each problem\'s verdicts in sample order, so a resumed run decides the same.',
      ),
    correct: positiveInt.default(1).describe('Correct samples wanted per problem (`stop-after-correct`, `uniform`; for `prop2diff`, what the hardest problems get).'),
    maxK: positiveInt.optional().describe('Most samples per problem for `uniform` and `prop2diff` (required by them; at least k for `prop2diff`).'),
  })
  .strict()
  .superRefine((s, context) => {
    if ((s.strategy === 'uniform' || s.strategy === 'prop2diff') && s.maxK === undefined) {
      context.addIssue({ code: 'custom', path: ['maxK'], message: `sampling.strategy ${s.strategy} needs sampling.maxK, the most samples one problem may get` });
    }
    if (s.strategy === 'prop2diff' && s.maxK !== undefined && s.maxK < s.k) {
      context.addIssue({ code: 'custom', path: ['maxK'], message: `sampling.maxK (${s.maxK}) must be at least sampling.k (${s.k}), the probe every problem gets under prop2diff` });
    }
  });
export type SamplingConfig = z.infer<typeof SamplingConfig>;

export const BudgetConfig = z
  .object({
    maxCostUsd: z.number().positive().optional().describe('Stop before the run could pay more than this many USD for samples (needs a known price: the built-in table or policy.pricing).'),
    maxTokens: positiveInt.optional().describe('Stop before the run could use more than this many tokens (prompt and completion).'),
    maxSamples: positiveInt.optional().describe('Stop before the run draws more than this many samples.'),
  })
  .strict();
export type BudgetConfig = z.infer<typeof BudgetConfig>;

export const RunConfig = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
      .default('starloop')
      .describe('Run name: the run directory is `runs/<name>` unless `--out` says otherwise.'),
    problems: z
      .object({
        train: z.string().min(1).describe('Train problem file (JSONL); paths are relative to the working directory.'),
        eval: z.string().min(1).optional().describe('Held-out problem file evaluated every round; no evaluation when absent.'),
        format: ProblemFormat.default('auto').describe('File layout; `auto` detects native, GSM8K, MATH, HumanEval or MBPP lines.'),
        limit: positiveInt.optional().describe('Use at most this many problems per split (the first N in file order).'),
      })
      .strict()
      .describe('Where the problems come from.'),
    verifier: VerifierRef.optional().describe(
      "Verifier for problems that name none: an id (`numeric`, `math`, `exact-match`, `python-tests`, `js-tests`, `command`, or a plug-in) or `{id, options}`. When absent, the problem file's layout decides: MATH → `math`, HumanEval and MBPP → `python-tests`, GSM8K and native → `numeric`.",
    ),
    verifiers: z.array(z.string().min(1)).default([]).describe('Plug-in verifier modules (TS or JS) to load, relative to the working directory.'),
    policy: PolicyConfig.default({ type: 'embedded' }).describe('The model sampled from; with a `teacher`, the student that is trained and evaluated.'),
    teacher: TeacherConfig.optional().describe(
      'A teacher model that samples the training data (in every round or only the first) while `policy`, the student, is trained on it and evaluated every round, round 0 included. With `select.filter: none` this is pure imitation (Alpaca-style distillation), with `verified` filtered distillation; without a teacher the student samples its own data (STaR).',
    ),
    sampling: SamplingConfig.default(SamplingConfig.parse({})).describe('How train samples are drawn.'),
    prompt: z
      .object({
        system: z.string().optional().describe('System message put before every prompt.'),
        template: z.string().default('{{problem}}').describe('The user turn: `{{problem}}` is replaced by the problem text, `{{id}}` by its id.'),
      })
      .strict()
      .default({ template: '{{problem}}' })
      .describe('How a problem becomes a prompt.'),
    rationalize: z
      .object({
        enabled: z.boolean().default(true).describe('Re-ask problems no sample solved, with the gold answer as a hint.'),
        hintTemplate: z
          .string()
          .default('{{problem}}\n(Hint: the answer is {{answer}}.)')
          .describe('The hinted prompt: `{{problem}}` and `{{answer}}` are replaced; the hint is stripped from the saved rationale.'),
        k: positiveInt.default(2).describe('Samples drawn per failed problem with the hint.'),
      })
      .strict()
      .default({ enabled: true, hintTemplate: '{{problem}}\n(Hint: the answer is {{answer}}.)', k: 2 })
      .describe('Rationalization of failed problems (STaR).'),
    select: z
      .object({
        maxPerProblem: positiveInt.default(4).describe('Survivors kept per problem.'),
        dedupe: z
          .enum(['none', 'exact', 'normalized', 'equations'])
          .default('normalized')
          .describe(
            'Drop duplicate survivors of a problem: same text; same text after normalizing whitespace and case; or, as in rejection-sampling fine-tuning (RFT), the same list of equations (GSM8K `<<…>>` annotations, else equations written as `a op b = c`; paths with no equation count as one).',
          ),
        filter: z
          .enum(['verified', 'none', 'majority'])
          .optional()
          .describe(
            'Which samples may survive: `verified` (correct by the verifier), `none` (every sample: pure imitation of whoever sampled), or `majority` (those whose answer is the majority answer of the problem\'s samples, for problems without gold answers; see `majorityShare`). `verified` when absent.',
          ),
        majorityShare: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .describe('With `filter: majority`: the least share of a problem\'s samples the majority answer must have (samples with no answer count in the denominator); a tie is no majority. 0.5 when absent.'),
        pool: z
          .enum(['round', 'all'])
          .optional()
          .describe('Train on this round\'s survivors only (`round`, as STaR and ReST-EM do), or on them plus every earlier round\'s (`all`), deduplicated per problem. `round` when absent.'),
        contamination: z
          .enum(['drop', 'error'])
          .default('drop')
          .describe(
            'A train problem that copies an eval problem (the same text after normalization, or a near duplicate by n-gram overlap), and a dataset answer that contains one: `drop` them, counted and listed in the manifest, the report and the run\'s first lines; `error` refuses the run.',
          ),
        contaminationCheck: ContaminationOptions.prefault({}).describe(
          "How near counts as a copy: `ngram` (8), `threshold` (0.5: the share of the eval problem's tokens inside shared n-grams), `minTokens` (3: shorter eval problems are matched exactly only), `sameNumbers` (true: a near duplicate must use the eval problem's numbers in order).",
        ),
      })
      .strict()
      .prefault({})
      .describe('Which samples become training data.'),
    train: TrainConfig.default({ type: 'none' }).describe('How the next policy is trained.'),
    eval: z
      .object({
        k: positiveInt.default(4).describe('Samples per eval problem (for pass@k and maj@k).'),
        temperature: z.number().min(0).max(5).optional().describe('Eval sampling temperature; `sampling.temperature` when absent.'),
        maxTokens: positiveInt.optional().describe('Longest eval completion; `sampling.maxTokens` when absent.'),
      })
      .strict()
      .default({ k: 4 })
      .describe('Evaluation on the eval split, every round.'),
    budget: BudgetConfig.default({}).describe(
      'Spending caps over the whole run, every round and resume together: a request that could take the run past a cap is not sent, and the run stops with exit status 5, everything drawn stored; raise the cap and --resume to continue.',
    ),
    rounds: z.number().int().min(0).max(1000).default(1).describe('Sample→train iterations; the report has rounds + 1 entries (entry 0 is the base policy).'),
    generate: GenerateConfig.optional().describe('`starloop generate`: growing a problem set from seed problems (Self-Instruct for verifiable tasks); `run` does not read it.'),
    seed: z.number().int().nonnegative().default(0).describe("Seed of the run's own random choices (which gold examples the control arm trains on)."),
  })
  .strict()
  // An adaptive strategy asks for more samples as verdicts come in; a batch is submitted whole.
  .refine((c) => c.policy.type !== 'openai' || c.policy.batch === false || c.sampling.strategy === 'fixed', {
    message: 'policy.batch submits a stage\'s requests at once, so it needs sampling.strategy: fixed (adaptive strategies decide later samples from earlier verdicts)',
    path: ['sampling', 'strategy'],
  });
export type RunConfig = z.infer<typeof RunConfig>;
