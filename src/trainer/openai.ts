import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type OpenAI from 'openai';
import { NotFoundError, toFile } from 'openai';
import { z } from 'zod';
import type { OpenAITrainConfig } from '../config/schema.ts';
import { AbortedError, StarloopError, TrainerError } from '../errors.ts';
import { connect } from '../openai/connection.ts';
import { describeFailure, type Failure, isRetriedByClient } from '../openai/errors.ts';
import { backoffMs, sleep } from '../util/sleep.ts';
import { childSignal } from '../openai/signal.ts';
import type { PolicyRef } from '../schema/training.ts';
import { formatIssues } from '../schema/format-issues.ts';
import type { Trainer, TrainRequest } from './trainer.ts';

export interface OpenAITrainerOptions {
  /** Used when the train config names none (normally the policy's first endpoint). */
  baseURL: string;
  apiKeyEnv: string;
  env?: NodeJS.ProcessEnv;
}

/** What survives a crash: once a file is uploaded or a job created, a resumed round reuses it. */
const State = z.object({ fileId: z.string().optional(), jobId: z.string().optional() });

const UploadedFile = z.looseObject({ id: z.string().min(1) });

const Job = z.looseObject({
  id: z.string(),
  status: z.string(),
  training_file: z.string().nullish(),
  fine_tuned_model: z.string().nullish(),
  trained_tokens: z.number().nullish(),
  error: z.looseObject({ message: z.string().nullish(), code: z.string().nullish() }).nullish(),
});
type Job = z.infer<typeof Job>;

const JobList = z.looseObject({ data: z.array(Job) });

/** Job creation is not idempotent, so it is never retried blindly: see `createJob`. */
const createAttempts = 5;

const EventList = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), message: z.string(), data: z.record(z.string(), z.unknown()).nullish() })),
});

const parse = <S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> => {
  const result = schema.safeParse(value);
  if (!result.success) throw new TrainerError(`the fine-tuning server sent a malformed ${what}: ${formatIssues(result.error).replace(/\n/g, '; ')}`);
  return result.data;
};

/**
 * Fine-tunes through the OpenAI fine-tuning API (or any server that speaks it, `starloop serve`
 * included): upload, create a supervised job, poll it until it ends.
 */
export function createOpenAITrainer(config: OpenAITrainConfig, options: OpenAITrainerOptions): Trainer {
  const baseURL = config.baseURL ?? options.baseURL;
  const apiKeyEnv = config.apiKeyEnv ?? options.apiKeyEnv;

  return {
    id: 'openai',
    async train(request: TrainRequest): Promise<PolicyRef> {
      // The policy's endpoint rules apply: a loopback server may go without a key, a remote one may not.
      const endpoint = connect(
        { baseURL, apiKeyEnv, env: options.env ?? process.env, timeoutMs: 600_000, maxRetries: 5 },
        (failure: Failure) => new TrainerError(failure.message, { code: 'TRAINER_AUTH' }),
      );
      const send = async <T>(fn: (client: OpenAI, signal: AbortSignal) => Promise<T>): Promise<T> => {
        const child = childSignal(request.signal);
        try {
          return await fn(endpoint.client, child.signal);
        } finally {
          child.dispose();
        }
      };
      const failed = (what: string, error: unknown): Error => {
        if (error instanceof StarloopError) return error;
        if (request.signal?.aborted) return new AbortedError('training interrupted', { cause: error });
        const failure = describeFailure(endpoint, error, { timeoutMs: 600_000, attempts: 1 });
        // The failure's own cause, not the raw error: its text is masked where the server echoed the key.
        return new TrainerError(`${what}: ${failure.message}`, { cause: failure.cause });
      };
      const call: Call = (what, fn) =>
        send(fn).catch((error: unknown) => {
          throw failed(what, error);
        });

      /**
       * A live job already made from this round's file, e.g. by a process that died before saving
       * its id. Matched on the file alone: OpenAI reports `model` as a dated snapshot name.
       */
      const findJob = async (fileId: string): Promise<string | undefined> => {
        const page = parse(JobList, await call('listing fine-tuning jobs', (client, signal) => client.fineTuning.jobs.list({ limit: 100 }, { signal })), 'job list');
        return page.data.find((job) => job.training_file === fileId && job.status !== 'failed' && job.status !== 'cancelled')?.id;
      };

      /**
       * Creates the job without the client's own retries: when an answer is lost (timeout, reset,
       * 5xx), the job may exist all the same, so the server is asked before trying again.
       */
      const createJob = async (fileId: string): Promise<string> => {
        const body = {
          model: request.start.model,
          training_file: fileId,
          ...(config.suffix ? { suffix: config.suffix } : {}),
          method: jobMethod(config),
        };
        for (let attempt = 1; ; attempt++) {
          try {
            return parse(Job, await send((client, signal) => client.fineTuning.jobs.create(body, { signal, maxRetries: 0 })), 'job object').id;
          } catch (error) {
            if (!isRetriedByClient(error) || attempt >= createAttempts || request.signal?.aborted) throw failed('creating the fine-tuning job', error);
            const existing = await findJob(fileId);
            if (existing) return existing;
            await sleep(backoffMs(attempt - 1, 1_000, 16_000), request.signal, 'training interrupted');
          }
        }
      };

      /** Whether the server still knows a saved id; a restarted `starloop serve` forgets its files and jobs. */
      const known = (what: string, fetch: (client: OpenAI, signal: AbortSignal) => Promise<unknown>): Promise<boolean> =>
        send(fetch).then(
          () => true,
          (error: unknown) => {
            if (error instanceof NotFoundError) return false;
            throw failed(what, error);
          },
        );

      const saved = await request.state.read();
      const stateResult = State.safeParse(saved ?? {});
      if (!stateResult.success) throw new TrainerError(`the saved fine-tuning state does not parse: ${formatIssues(stateResult.error)}`);
      let { fileId, jobId } = stateResult.data;
      const savedJob = jobId;
      const savedFile = fileId;
      if (savedJob && !(await known(`checking job ${savedJob}`, (client, signal) => client.fineTuning.jobs.retrieve(savedJob, { signal })))) jobId = undefined;
      if (!jobId && savedFile && !(await known(`checking file ${savedFile}`, (client, signal) => client.files.retrieve(savedFile, { signal })))) fileId = undefined;
      if (jobId !== savedJob || fileId !== savedFile) {
        request.onProgress?.({ stage: 'resuming', message: `the server no longer knows ${savedJob ?? savedFile}; starting again` });
        await request.state.write(fileId ? { fileId } : {});
      }

      if (!jobId) {
        const uploadedBefore = fileId !== undefined;
        if (!fileId) {
          request.onProgress?.({ stage: 'uploading', message: `${request.examples} examples` });
          const file = await call('uploading the dataset', async (client, signal) =>
            client.files.create({ file: await toFile(createReadStream(request.datasetPath), basename(request.datasetPath)), purpose: 'fine-tune' }, { signal }),
          );
          fileId = parse(UploadedFile, file, 'file object').id;
          await request.state.write({ fileId });
        }
        jobId = (uploadedBefore ? await findJob(fileId) : undefined) ?? (await createJob(fileId));
        await request.state.write({ fileId, jobId });
      }
      request.onProgress?.({ stage: 'submitted', message: `job ${jobId}` });
      const job = await poll(jobId, request, config, call);
      if (job.status === 'succeeded' && job.fine_tuned_model) return { model: job.fine_tuned_model };
      // The uploaded file stays usable, so a retry creates a new job without uploading again.
      await request.state.write({ fileId });
      const reason = job.error?.message ?? (job.status === 'succeeded' ? 'but named no fine_tuned_model' : undefined);
      throw new TrainerError(`fine-tuning job ${jobId} ${job.status}${reason ? `: ${reason}` : ''}`);
    },
  };
}

/** The job's `method` (https://developers.openai.com/api/docs/guides/direct-preference-optimization for `dpo`). */
function jobMethod(config: OpenAITrainConfig) {
  const hyperparameters = config.hyperparameters ?? {};
  if (config.method === 'dpo') return { type: 'dpo' as const, dpo: { hyperparameters } };
  const { beta: _dpoOnly, ...supervised } = hyperparameters;
  return { type: 'supervised' as const, supervised: { hyperparameters: supervised } };
}

type Call = <T>(what: string, send: (client: OpenAI, signal: AbortSignal) => Promise<T>) => Promise<T>;

const terminal = new Set(['succeeded', 'failed', 'cancelled']);

async function poll(
  jobId: string,
  request: TrainRequest,
  config: OpenAITrainConfig,
  call: Call,
): Promise<Job> {
  const deadline = Date.now() + config.timeoutMs;
  const seenEvents = new Set<string>();
  let lastStatus: string | undefined;
  for (;;) {
    const job = parse(Job, await call(`checking job ${jobId}`, (client, signal) => client.fineTuning.jobs.retrieve(jobId, { signal })), 'job object');
    const events = parse(
      EventList,
      await call(`reading the events of job ${jobId}`, (client, signal) => client.fineTuning.jobs.listEvents(jobId, { limit: 100 }, { signal })),
      'event list',
    );
    // Listed newest first; reported oldest first, each once.
    for (const event of [...events.data].reverse()) {
      if (seenEvents.has(event.id)) continue;
      seenEvents.add(event.id);
      const step = typeof event.data?.step === 'number' ? event.data.step : undefined;
      const total = typeof event.data?.total_steps === 'number' ? event.data.total_steps : undefined;
      request.onProgress?.({ stage: 'event', message: event.message, ...(step !== undefined ? { done: step } : {}), ...(total !== undefined ? { total } : {}) });
    }
    if (job.status !== lastStatus) {
      lastStatus = job.status;
      request.onProgress?.({ stage: job.status, message: `job ${jobId}`, ...(job.trained_tokens ? { done: job.trained_tokens } : {}) });
    }
    if (terminal.has(job.status)) return job;
    if (Date.now() > deadline) {
      throw new TrainerError(`fine-tuning job ${jobId} still ${job.status} after ${config.timeoutMs} ms; it keeps running on the server and a resumed run continues waiting for it`);
    }
    await sleep(config.pollIntervalMs, request.signal, 'training interrupted');
  }
}
