import type { OpenAIBatchConfig, OpenAIPolicyConfig } from '../../../config/schema.ts';
import { PolicyError } from '../../../errors.ts';
import type { Connection } from '../../../openai/connection.ts';
import { formatIssues } from '../../../schema/format-issues.ts';
import { sleep } from '../../../util/sleep.ts';
import type { GenerateOptions, Generation, GenerationRequest, PolicyNotice, SamplingParams } from '../../policy.ts';
import { responseByteLimit } from '../limits.ts';
import { completionPath, requestBody } from '../request-body.ts';
import { parseCompletion } from '../response.ts';
import { BatchApi } from './api.ts';
import { type BatchObject, batchErrors, FINISHED, fallbackCustomId, inputLine, MAX_BATCH_BYTES, OutputLine } from './format.ts';
import { type SavedBatch, SavedBatches } from './state.ts';

/** A wanted sample: which request and index it answers. */
interface Wanted {
  request: GenerationRequest;
  index: number;
}

/** Why a request of a batch produced no sample, and whether sending it again may help. */
interface LineFailure {
  message: string;
  retry: boolean;
}

/** Status lines are shown when the status changes, and counts at most this often. */
const COUNT_NOTICE_MS = 60_000;

export function batchSettings(config: OpenAIPolicyConfig): OpenAIBatchConfig | undefined {
  if (config.batch === false) return undefined;
  return config.batch === true ? { pollIntervalMs: 30_000, maxRequests: 50_000 } : config.batch;
}

/**
 * Samples through the OpenAI Batch API: one request line per sample (`custom_id` = the sample's
 * identity hash, its seed as a fanned-out request would carry), uploaded, submitted, polled, and
 * its output and error files merged as ordinary generations. The batches' ids are kept in the
 * call's `state`, so a resumed call collects the batches it submitted before instead of
 * submitting them again. Requests that failed in a batch (server errors, expiry, a malformed
 * answer) are sent again in a new batch, up to `maxRetries` times; a refused one (4xx) fails the
 * call once everything else is merged.
 */
export function createBatchSampler(config: OpenAIPolicyConfig, context: { model: string; endpoint: Connection }) {
  const settings = batchSettings(config)!;
  const url = `/v1${completionPath(config)}`;

  return {
    async *generate(requests: GenerationRequest[], params: SamplingParams, options: GenerateOptions = {}): AsyncGenerator<Generation> {
      const notify = (notice: PolicyNotice) => options.onNotice?.(notice);
      const api = new BatchApi(context.endpoint, { ...(options.signal ? { signal: options.signal } : {}), timeoutMs: config.timeoutMs });
      const saved = new SavedBatches(options.state);
      await saved.load();
      const wanted = new Map<string, Wanted>();
      for (const request of requests) {
        request.indices.forEach((index) => wanted.set(request.idOf?.(index) ?? fallbackCustomId(request.key, index), { request, index }));
      }
      const failures = new Map<string, LineFailure>();

      /** Waits for a submitted batch to finish and yields every wanted sample in its files. */
      async function* collect(record: SavedBatch): AsyncGenerator<Generation> {
        if (!record.batchId) {
          // Saved between upload and creation: the batch may exist even so.
          record.batchId = ((await api.find(record.inputFileId)) ?? (await api.create(record.inputFileId, url))).id;
          await saved.save();
        }
        const batch = await poll(record.batchId);
        if (batch.status === 'failed') {
          record.done = true;
          await saved.save();
          throw new PolicyError(`batch ${batch.id} failed: ${batchErrors(batch)}`);
        }
        const latencyMs = Math.max(0, ((batch.completed_at ?? Date.now() / 1000) - (batch.created_at ?? Date.now() / 1000)) * 1000);
        const limits = { maxLineBytes: responseByteLimit(params.maxTokens, 1) + 64 * 1024, maxBytes: record.requests * (responseByteLimit(params.maxTokens, 1) + 64 * 1024) };
        for (const fileId of [batch.output_file_id, batch.error_file_id]) {
          if (!fileId) continue;
          for await (const line of api.lines(fileId, limits)) {
            const where = `batch ${batch.id} file ${fileId} line ${line.line}`;
            if ('error' in line) {
              notify({ level: 'warning', message: `${where} is not JSON (${line.error}); its request is sent again` });
              continue;
            }
            const parsed = OutputLine.safeParse(line.value);
            if (!parsed.success) {
              notify({ level: 'warning', message: `${where} is not a batch output line (${formatIssues(parsed.error).replace(/\n/g, '; ')}); its request is sent again` });
              continue;
            }
            const entry = wanted.get(parsed.data.custom_id);
            if (!entry) continue;
            const result = toGeneration(config.mode, context.model, parsed.data, entry, latencyMs);
            if ('failure' in result) {
              failures.set(parsed.data.custom_id, result.failure);
              continue;
            }
            yield result.generation;
            wanted.delete(parsed.data.custom_id);
            failures.delete(parsed.data.custom_id);
          }
        }
        record.done = true;
        await saved.save();
      }

      async function poll(batchId: string): Promise<BatchObject> {
        let status: string | undefined;
        let shown = '';
        let shownAt = 0;
        for (;;) {
          const batch = await api.retrieve(batchId);
          const counts = batch.request_counts;
          const line = `batch ${batchId}: ${batch.status}${counts ? `, ${counts.completed}/${counts.total} done${counts.failed ? `, ${counts.failed} failed` : ''}` : ''}`;
          if (batch.status !== status || (line !== shown && Date.now() - shownAt >= COUNT_NOTICE_MS)) {
            notify({ level: 'info', message: line });
            status = batch.status;
            shown = line;
            shownAt = Date.now();
          }
          if (FINISHED.has(batch.status)) return batch;
          await sleep(settings.pollIntervalMs, options.signal, 'sampling interrupted');
        }
      }

      /** Uploads and creates batches for `ids`, split to fit the API's limits; returns their records. */
      async function submit(ids: string[]): Promise<SavedBatch[]> {
        const records: SavedBatch[] = [];
        let lines: string[] = [];
        let bytes = 0;
        const flush = async () => {
          if (lines.length === 0) return;
          const inputFileId = await api.upload(lines.join(''));
          const record: SavedBatch = { inputFileId, requests: lines.length, submittedAt: new Date().toISOString(), done: false };
          await saved.add(record);
          record.batchId = (await api.create(inputFileId, url)).id;
          await saved.save();
          notify({ level: 'info', message: `batch ${record.batchId} submitted: ${record.requests} requests to ${api.url}` });
          records.push(record);
          lines = [];
          bytes = 0;
        };
        for (const id of ids) {
          const { request, index } = wanted.get(id)!;
          const text = inputLine(id, url, requestBody(config, context.model, request, [index], params));
          const size = Buffer.byteLength(text);
          if (lines.length >= settings.maxRequests || bytes + size > MAX_BATCH_BYTES) await flush();
          lines.push(text);
          bytes += size;
        }
        await flush();
        return records;
      }

      const resumed = saved.open();
      if (resumed.length) notify({ level: 'info', message: `collecting ${resumed.length} batch(es) submitted before: ${resumed.map((b) => b.batchId ?? b.inputFileId).join(', ')}` });
      for (const record of resumed) yield* collect(record);
      for (let round = 0; wanted.size > 0; round++) {
        const refused = [...failures.entries()].find(([, f]) => !f.retry);
        if (refused) throw new PolicyError(`the batch request ${refused[0]} was refused: ${refused[1].message}`);
        if (round > config.maxRetries) {
          const [id, last] = [...failures.entries()][0] ?? [[...wanted.keys()][0], { message: 'no answer in any batch' }];
          throw new PolicyError(`${wanted.size} batch request(s) got no answer after ${round} batches (e.g. ${id}: ${last.message})`);
        }
        if (round > 0) notify({ level: 'info', message: `sending ${wanted.size} request(s) again that got no answer in their batch` });
        for (const record of await submit([...wanted.keys()])) yield* collect(record);
      }
    },
  };
}

/** A generation from an output line, or why the line gave none. */
function toGeneration(mode: OpenAIPolicyConfig['mode'], model: string, line: OutputLine, entry: Wanted, latencyMs: number): { generation: Generation } | { failure: LineFailure } {
  const status = line.response?.status_code;
  if (!line.response || status === undefined || status < 200 || status >= 300) {
    const body = line.response?.body as { error?: { message?: unknown } } | undefined;
    const text = typeof body?.error?.message === 'string' ? body.error.message : (line.error?.message ?? line.error?.code ?? 'no response');
    // As for a request sent on its own: a timeout, conflict, rate limit or server error may pass; other 4xx would fail again.
    const retry = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
    return { failure: { message: `${status ?? line.error?.code ?? 'error'}: ${text}`, retry } };
  }
  try {
    const parsed = parseCompletion(mode, line.response.body, 1);
    const choice = parsed.choices[0];
    const usage = parsed.usage ?? { promptTokens: Math.ceil(entry.request.text.length / 4), completionTokens: Math.ceil(choice.text.length / 4) };
    return {
      generation: { key: entry.request.key, index: entry.index, text: choice.text, finishReason: choice.finishReason, usage, model: parsed.model ?? model, latencyMs },
    };
  } catch (error) {
    return { failure: { message: (error as Error).message, retry: true } };
  }
}
