import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { StarloopError } from '../errors.ts';
import { OpenAIPreferenceLine } from '../schema/preference.ts';
import { Hyperparameters as KnownHyperparameters, TrainerState } from '../schema/training.ts';
import { writeJsonAtomic } from '../store/atomic-write.ts';
import { readJsonFile } from '../store/read-json.ts';
import type { StateCell } from '../store/run-store.ts';
import type { Trainer, TrainProgress } from '../trainer/trainer.ts';
import type { FileStore } from './files.ts';
import { invalidRequest, notFound, parseRequest, unixSeconds } from './http.ts';
import type { ServedModels } from './models.ts';

/** Unknown hyperparameters are ignored, as a server that does not implement them would. */
const Hyperparameters = z.looseObject(KnownHyperparameters.shape).optional();

const DpoHyperparameters = z.looseObject({ ...KnownHyperparameters.shape, beta: z.union([z.number().positive(), z.literal('auto')]).optional() }).optional();

export const CreateJobBody = z.looseObject({
  model: z.string().min(1),
  training_file: z.string().min(1),
  validation_file: z.string().nullish(),
  suffix: z.string().max(64).nullish(),
  seed: z.number().int().nullish(),
  hyperparameters: Hyperparameters,
  method: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('supervised'), supervised: z.looseObject({ hyperparameters: Hyperparameters }).optional() }),
      z.looseObject({ type: z.literal('dpo'), dpo: z.looseObject({ hyperparameters: DpoHyperparameters }).optional() }),
    ], { error: 'method.type must be "supervised" or "dpo"' })
    .optional(),
});

/** The fine-tuning methods a server's trainer can do. */
export type FineTuningMethod = 'supervised' | 'dpo';

/** One line of a chat-format training file; a line without an assistant turn teaches nothing. */
const TrainingLine = z.object({
  messages: z
    .array(z.looseObject({ role: z.string(), content: z.string() }))
    .refine((messages) => messages.some((m) => m.role === 'assistant'), 'needs at least one assistant message'),
});

const RegistryLine = z.object({ id: z.string().min(1), ref: z.object({ model: z.string().min(1), checkpoint: z.string().optional() }) });

type JobStatus = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
const finished: JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface FineTuningJob {
  id: string;
  object: 'fine_tuning.job';
  model: string;
  created_at: number;
  finished_at: number | null;
  fine_tuned_model: string | null;
  organization_id: string;
  result_files: string[];
  status: JobStatus;
  training_file: string;
  validation_file: string | null;
  hyperparameters: Record<string, unknown>;
  method: { type: 'supervised'; supervised: { hyperparameters: Record<string, unknown> } } | { type: 'dpo'; dpo: { hyperparameters: Record<string, unknown> } };
  trained_tokens: number | null;
  error: { code: string; message: string; param: string | null } | null;
  seed: number;
  suffix: string | null;
  estimated_finish: null;
  integrations: null;
}

interface JobEvent {
  object: 'fine_tuning.job.event';
  id: string;
  created_at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  data: Record<string, unknown> | null;
}

interface JobRecord {
  job: FineTuningJob;
  events: JobEvent[];
  abort: AbortController;
}

const maxEventsKept = 1000;

export const fineTunedModelId = (base: string, jobId: string) => `ft:${base}:starloop:${jobId}`;

/**
 * Fine-tuning jobs over a Trainer. Jobs run one at a time in the background (a trainer usually
 * wants the whole machine); each succeeded job's model is added to `models` and remembered in
 * `workDir/models.jsonl` so a restarted server still serves it.
 */
export class JobManager {
  readonly #jobs = new Map<string, JobRecord>();
  readonly #trainer: Trainer;
  readonly #files: FileStore;
  readonly #models: ServedModels;
  readonly #workDir: string;
  readonly #log: (line: string) => void;
  readonly #methods: readonly FineTuningMethod[];
  #chain: Promise<void> = Promise.resolve();

  constructor(options: { trainer: Trainer; files: FileStore; models: ServedModels; workDir: string; log: (line: string) => void; methods?: readonly FineTuningMethod[] }) {
    this.#trainer = options.trainer;
    this.#methods = options.methods ?? ['supervised'];
    this.#files = options.files;
    this.#models = options.models;
    this.#workDir = options.workDir;
    this.#log = options.log;
  }

  /** Serves again the fine-tuned models an earlier server process produced. */
  async restoreModels(): Promise<void> {
    const text = await readFile(this.#registryPath(), 'utf8').catch(() => '');
    for (const [i, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      const entry = RegistryLine.safeParse(value);
      // A line cut short by a crash is skipped, not fatal: the model can be trained again.
      if (entry.success) this.#models.add(entry.data.id, entry.data.ref);
      else this.#log(`${this.#registryPath()}:${i + 1}: skipped, not a model entry`);
    }
  }

  create(raw: unknown): FineTuningJob {
    const body = parseRequest(CreateJobBody, raw);
    if (!this.#models.list().includes(body.model)) throw invalidRequest(`model: '${body.model}' is not served here (served: ${this.#models.list().join(', ')})`);
    if (!this.#files.has(body.training_file)) throw invalidRequest(`training_file: no such file '${body.training_file}'`);
    const type = body.method?.type ?? 'supervised';
    if (!this.#methods.includes(type)) throw invalidRequest(`method.type: '${type}' is not served here (served: ${this.#methods.join(', ')})`);
    const hyperparameters = { ...body.hyperparameters, ...(body.method?.type === 'dpo' ? body.method.dpo?.hyperparameters : body.method?.supervised?.hyperparameters) };
    const id = `ftjob-${randomBytes(12).toString('hex')}`;
    const job: FineTuningJob = {
      id,
      object: 'fine_tuning.job',
      model: body.model,
      created_at: unixSeconds(),
      finished_at: null,
      fine_tuned_model: null,
      organization_id: 'starloop',
      result_files: [],
      status: 'validating_files',
      training_file: body.training_file,
      validation_file: body.validation_file ?? null,
      hyperparameters,
      method: type === 'dpo' ? { type, dpo: { hyperparameters } } : { type, supervised: { hyperparameters } },
      trained_tokens: null,
      error: null,
      seed: body.seed ?? 0,
      suffix: body.suffix ?? null,
      estimated_finish: null,
      integrations: null,
    };
    const record: JobRecord = { job, events: [], abort: new AbortController() };
    this.#jobs.set(id, record);
    this.#event(record, 'info', `Validating training file: ${body.training_file}`);
    // Validation runs at once; training waits for the jobs queued before it.
    const validated = new Promise<boolean>((resolve) => setImmediate(() => resolve(this.#validate(record))));
    // #train records its own failures on the job; the catch keeps one bad job from stalling the queue.
    this.#chain = this.#chain
      .then(async () => {
        if (await validated) await this.#train(record);
      })
      .catch((error: unknown) => this.#log(`fine-tuning ${id}: ${error instanceof Error ? error.message : String(error)}`));
    return { ...job };
  }

  get(id: string): FineTuningJob {
    return { ...this.#record(id).job };
  }

  list(): FineTuningJob[] {
    return [...this.#jobs.values()].map((r) => ({ ...r.job })).reverse();
  }

  /** Newest first, as OpenAI lists them; `after` is the id of the last event the caller has seen in this order. */
  events(id: string, after: string | undefined, limit: number): { object: 'list'; data: JobEvent[]; has_more: boolean } {
    const newestFirst = [...this.#record(id).events].reverse();
    const start = after === undefined ? 0 : newestFirst.findIndex((e) => e.id === after) + 1;
    const data = newestFirst.slice(start, start + limit);
    return { object: 'list', data, has_more: start + limit < newestFirst.length };
  }

  cancel(id: string): FineTuningJob {
    const record = this.#record(id);
    if (!finished.includes(record.job.status)) {
      this.#finish(record, 'cancelled');
      this.#event(record, 'info', 'Job cancelled');
      record.abort.abort(new StarloopError('ABORTED', 'job cancelled'));
    }
    return { ...record.job };
  }

  /** Waits for the running and queued jobs to end (after cancelling them). */
  async close(): Promise<void> {
    for (const id of this.#jobs.keys()) this.cancel(id);
    await this.#chain;
  }

  #record(id: string): JobRecord {
    const record = this.#jobs.get(id);
    if (!record) throw notFound(`No such fine-tuning job: ${id}`);
    return record;
  }

  async #validate(record: JobRecord): Promise<boolean> {
    const { job } = record;
    if (job.status === 'cancelled') return false;
    const file = this.#files.get(job.training_file);
    const schema = job.method.type === 'dpo' ? OpenAIPreferenceLine : TrainingLine;
    const problem = await readFile(file.path, 'utf8').then((content) => validateTrainingFile(content, schema), (error: Error) => `cannot be read: ${error.message}`);
    if (cancelled(job)) return false;
    if (problem) {
      job.error = { code: 'invalid_training_file', message: `${file.filename} ${problem}`, param: 'training_file' };
      this.#finish(record, 'failed');
      this.#event(record, 'error', job.error.message);
      return false;
    }
    job.status = 'queued';
    this.#event(record, 'info', 'Files validated, moving job to queued state');
    return true;
  }

  async #train(record: JobRecord): Promise<void> {
    const { job } = record;
    if (job.status === 'cancelled') return;
    const file = this.#files.get(job.training_file);
    const content = await readFile(file.path, 'utf8');
    const examples = content.split('\n').filter((l) => l.trim() !== '').length;
    job.status = 'running';
    this.#event(record, 'info', `Fine-tuning job started: ${examples} examples`);
    this.#log(`fine-tuning ${job.id}: ${examples} examples from ${job.model}`);
    const outDir = join(this.#workDir, 'jobs', job.id);
    try {
      await mkdir(outDir, { recursive: true });
      const start = this.#models.ref(job.model) ?? { model: job.model };
      const ref = await this.#trainer.train({
        datasetPath: file.path,
        examples,
        base: start,
        start,
        round: (job.model.match(/ft:/g)?.length ?? 0) + 1,
        outDir,
        state: fileState(join(outDir, 'state.json')),
        signal: record.abort.signal,
        onProgress: (progress) => this.#event(record, 'info', describeProgress(progress), progress.done === undefined ? null : { step: progress.done, total_steps: progress.total ?? null }),
      });
      if (cancelled(job)) return;
      const modelId = fineTunedModelId(job.model, job.id);
      this.#models.add(modelId, ref);
      await appendFile(this.#registryPath(), `${JSON.stringify({ id: modelId, ref })}\n`);
      job.fine_tuned_model = modelId;
      job.trained_tokens = Math.ceil(content.length / 4);
      this.#finish(record, 'succeeded');
      this.#event(record, 'info', `New fine-tuned model created: ${modelId}`);
      this.#log(`fine-tuning ${job.id}: succeeded, serving ${modelId}`);
    } catch (error) {
      if (cancelled(job)) return;
      const message = error instanceof Error ? error.message : String(error);
      job.error = { code: error instanceof StarloopError ? error.code.toLowerCase() : 'training_failed', message, param: null };
      this.#finish(record, 'failed');
      this.#event(record, 'error', `Fine-tuning failed: ${message}`);
      this.#log(`fine-tuning ${job.id}: failed: ${message}`);
    }
  }

  #finish(record: JobRecord, status: JobStatus): void {
    record.job.status = status;
    record.job.finished_at = unixSeconds();
  }

  #event(record: JobRecord, level: JobEvent['level'], message: string, data: JobEvent['data'] = null): void {
    record.events.push({
      object: 'fine_tuning.job.event',
      id: `ftevent-${randomBytes(12).toString('hex')}`,
      created_at: unixSeconds(),
      level,
      message,
      type: data ? 'metrics' : 'message',
      data,
    });
    if (record.events.length > maxEventsKept) record.events.splice(0, record.events.length - maxEventsKept);
  }

  #registryPath(): string {
    return join(this.#workDir, 'models.jsonl');
  }
}

// A function, not an inline test: cancel() changes the status while train() is awaited.
const cancelled = (job: FineTuningJob): boolean => job.status === 'cancelled';

/** The first bad line, described; undefined when every line is a usable example of the job's method. */
function validateTrainingFile(content: string, schema: z.ZodType): string | undefined {
  const lines = content.split('\n');
  let seen = 0;
  for (const [i, text] of lines.entries()) {
    if (text.trim() === '') continue;
    seen++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return `line ${i + 1}: not valid JSON`;
    }
    const line = schema.safeParse(value);
    if (!line.success) return `line ${i + 1}: ${line.error.issues[0].path.join('.') || 'line'}: ${line.error.issues[0].message}`;
  }
  return seen === 0 ? 'has no examples' : undefined;
}

function describeProgress(progress: TrainProgress): string {
  const count = progress.done === undefined ? '' : ` ${progress.done}${progress.total === undefined ? '' : `/${progress.total}`}`;
  return `${progress.stage}${count}${progress.message ? `: ${progress.message}` : ''}`;
}

function fileState(path: string): StateCell {
  return {
    read: () => readJsonFile(path, TrainerState),
    write: (value) => writeJsonAtomic(path, value),
  };
}
