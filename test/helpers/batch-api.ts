import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import type { IncomingRequest } from '../../src/serve/server.ts';
import type { UploadedFile } from '../../src/serve/files.ts';
import { invalidRequest, notFound, sendJson, unixSeconds } from '../../src/serve/http.ts';
import type { FaultControl } from './faults.ts';

/**
 * The OpenAI Batch API for the test server, shaped after its API reference
 * (https://platform.openai.com/docs/api-reference/batch): `POST /v1/batches` over a file uploaded
 * with `purpose: batch`, `GET /v1/batches[/:id]`, `POST /v1/batches/:id/cancel`, and
 * `GET /v1/files/:id[/content]` for the input, output and error files. A batch runs after it is
 * created, asynchronously: each line is sent to the server's own completion endpoint (so it is
 * recorded, with `batch` set, and scripted like any request); answers with a 2xx status go to the
 * output file, the rest to the error file. Faults: `batchHold` keeps batches in_progress without
 * running anything; `batchLineErrors` answers the first lines of the next batches with an error.
 */

export interface BatchRecord {
  id: string;
  object: 'batch';
  endpoint: string;
  input_file_id: string;
  completion_window: string;
  status: 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  errors: { object: 'list'; data: { code: string; message: string; line: number | null }[] } | null;
  metadata: null;
}

interface OutputFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: 'batch_output';
  status: 'processed';
  content: string;
}

interface InputLine {
  custom_id: string;
  url: string;
  body: Record<string, unknown>;
}

const ENDPOINTS = ['/v1/chat/completions', '/v1/completions'];
const LINE_CONCURRENCY = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newId = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export interface BatchService {
  /** Answers the request when it is a Batch API call (or a file download); false otherwise. */
  handle(request: IncomingRequest, response: ServerResponse): Promise<boolean>;
  batches(): BatchRecord[];
  /** Stops the running batches (as a server going down would) and resolves once none runs. */
  stop(): Promise<void>;
}

export function createBatchService(options: { origin: () => string; uploads: () => UploadedFile[]; faults: FaultControl }): BatchService {
  const batches = new Map<string, BatchRecord>();
  const outputs = new Map<string, OutputFile>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const upload = (id: string) => options.uploads().find((file) => file.id === id);

  function storeOutput(lines: string[]): string | null {
    if (lines.length === 0) return null;
    const content = lines.join('');
    const file: OutputFile = { id: newId('file-'), object: 'file', bytes: Buffer.byteLength(content), created_at: unixSeconds(), filename: 'batch_output.jsonl', purpose: 'batch_output', status: 'processed', content };
    outputs.set(file.id, file);
    return file.id;
  }

  function parseInput(content: string, endpoint: string): InputLine[] | { message: string; line: number } {
    const lines: InputLine[] = [];
    const seen = new Set<string>();
    const rows = content.split('\n');
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].trim() === '') continue;
      let value: { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
      try {
        value = JSON.parse(rows[i]);
      } catch {
        return { message: 'the line is not JSON', line: i + 1 };
      }
      if (typeof value.custom_id !== 'string' || value.custom_id === '') return { message: 'custom_id must be a non-empty string', line: i + 1 };
      if (seen.has(value.custom_id)) return { message: `the custom_id ${value.custom_id} is used twice`, line: i + 1 };
      if (value.method !== 'POST') return { message: 'method must be POST', line: i + 1 };
      if (value.url !== endpoint) return { message: `url must be the batch's endpoint ${endpoint}`, line: i + 1 };
      if (typeof value.body !== 'object' || value.body === null) return { message: 'body must be an object', line: i + 1 };
      seen.add(value.custom_id);
      lines.push({ custom_id: value.custom_id, url: value.url, body: value.body as Record<string, unknown> });
    }
    return lines;
  }

  async function process(batch: BatchRecord, authorization: string | undefined): Promise<void> {
    await sleep(5);
    const input = parseInput(await readFile(upload(batch.input_file_id)!.path, 'utf8'), batch.endpoint);
    if (!Array.isArray(input)) {
      Object.assign(batch, { status: 'failed', failed_at: unixSeconds(), errors: { object: 'list', data: [{ code: 'invalid_request', message: input.message, line: input.line }] } });
      return;
    }
    Object.assign(batch, { status: 'in_progress', in_progress_at: unixSeconds() });
    batch.request_counts.total = input.length;
    while (options.faults.get().batchHold && batch.status === 'in_progress' && !stopped) await sleep(10);
    const fault = options.faults.get().batchLineErrors;
    const failing = fault && fault.times > 0 ? fault.lines : 0;
    if (fault && fault.times > 0) options.faults.set({ batchLineErrors: { ...fault, times: fault.times - 1 } });
    const output: string[] = [];
    const errors: string[] = [];
    const record = (line: InputLine, status: number, body: unknown) => {
      const text = `${JSON.stringify({ id: newId('batch_req_'), custom_id: line.custom_id, response: { status_code: status, request_id: newId('req_'), body }, error: null })}\n`;
      if (status >= 200 && status < 300) {
        output.push(text);
        batch.request_counts.completed++;
      } else {
        errors.push(text);
        batch.request_counts.failed++;
      }
    };
    let next = 0;
    const worker = async () => {
      while (next < input.length && batch.status === 'in_progress' && !stopped) {
        const position = next++;
        const line = input[position];
        if (position < failing) {
          record(line, fault?.status ?? 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
          continue;
        }
        const answer = await fetch(`${options.origin()}${line.url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-starloop-batch': batch.id, ...(authorization ? { authorization } : {}) },
          body: JSON.stringify(line.body),
        });
        const text = await answer.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = { error: { message: text.slice(0, 200), type: 'server_error' } };
        }
        record(line, answer.status, body);
      }
    };
    await Promise.all(Array.from({ length: LINE_CONCURRENCY }, worker));
    const cancelled = batch.status === 'cancelling';
    batch.status = 'finalizing';
    batch.output_file_id = storeOutput(output);
    batch.error_file_id = storeOutput(errors);
    if (cancelled) Object.assign(batch, { status: 'cancelled', cancelled_at: unixSeconds() });
    else Object.assign(batch, { status: 'completed', completed_at: unixSeconds() });
  }

  function create(body: unknown, authorization: string | undefined): BatchRecord {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (typeof fields.input_file_id !== 'string') throw invalidRequest('input_file_id is required');
    const file = upload(fields.input_file_id);
    if (!file) throw notFound(`No such File object: ${fields.input_file_id}`);
    if (file.purpose !== 'batch') throw invalidRequest(`the file ${file.id} was uploaded with purpose '${file.purpose}', not 'batch'`);
    if (typeof fields.endpoint !== 'string' || !ENDPOINTS.includes(fields.endpoint)) throw invalidRequest(`endpoint must be one of ${ENDPOINTS.join(', ')}`);
    if (fields.completion_window !== '24h') throw invalidRequest("completion_window must be '24h'");
    const batch: BatchRecord = {
      id: newId('batch_'),
      object: 'batch',
      endpoint: fields.endpoint,
      input_file_id: file.id,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: unixSeconds(),
      in_progress_at: null,
      completed_at: null,
      failed_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      errors: null,
      metadata: null,
    };
    batches.set(batch.id, batch);
    const work = process(batch, authorization).catch((error: unknown) => {
      Object.assign(batch, { status: 'failed', failed_at: unixSeconds(), errors: { object: 'list', data: [{ code: 'server_error', message: String(error), line: null }] } });
    });
    running.add(work);
    void work.finally(() => running.delete(work));
    return batch;
  }

  function get(id: string): BatchRecord {
    const batch = batches.get(id);
    if (!batch) throw notFound(`No batch found with id '${id}'.`);
    return batch;
  }

  return {
    batches: () => [...batches.values()],
    async stop() {
      stopped = true;
      while (running.size) await Promise.all(running);
    },
    async handle(request, response) {
      const { method, path } = request;
      const url = new URL(response.req.url ?? '/', 'http://localhost');
      if (method === 'POST' && path === '/v1/batches') {
        sendJson(response, 200, create(request.body, request.headers.authorization));
        return true;
      }
      if (method === 'GET' && path === '/v1/batches') {
        const newest = [...batches.values()].reverse();
        const after = url.searchParams.get('after');
        const start = after ? newest.findIndex((b) => b.id === after) + 1 : 0;
        const limit = Number(url.searchParams.get('limit') ?? 20) || 20;
        const data = newest.slice(start, start + limit);
        sendJson(response, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + limit < newest.length });
        return true;
      }
      const batch = path.match(/^\/v1\/batches\/([^/]+)(\/cancel)?$/);
      if (batch && method === 'GET' && !batch[2]) {
        sendJson(response, 200, get(batch[1]));
        return true;
      }
      if (batch && method === 'POST' && batch[2]) {
        const found = get(batch[1]);
        if (found.status === 'validating' || found.status === 'in_progress') found.status = 'cancelling';
        sendJson(response, 200, found);
        return true;
      }
      const file = path.match(/^\/v1\/files\/([^/]+)(\/content)?$/);
      if (file && method === 'GET') {
        const output = outputs.get(file[1]);
        if (output && file[2]) {
          response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': output.bytes });
          response.end(output.content);
          return true;
        }
        if (output) {
          const { content: _content, ...described } = output;
          sendJson(response, 200, described);
          return true;
        }
        const uploaded = upload(file[1]);
        if (uploaded && file[2]) {
          response.writeHead(200, { 'content-type': 'application/octet-stream' });
          response.end(await readFile(uploaded.path));
          return true;
        }
      }
      return false;
    },
  };
}
