/**
 * The OpenAI Batch API's shapes, as its API reference gives them
 * (https://platform.openai.com/docs/api-reference/batch: "The request input object", "The request
 * output object", "The batch object"; the file limits from "Create batch"):
 * - an input file is JSONL, uploaded with `purpose: batch`, one request per line:
 *   `{custom_id, method: "POST", url, body}`, `custom_id` unique within the file; at most 50,000
 *   requests and 200 MB per file;
 * - `POST /v1/batches` takes `{input_file_id, endpoint, completion_window: "24h"}`;
 * - a batch's `status` is validating, failed, in_progress, finalizing, completed, expired,
 *   cancelling or cancelled; `request_counts` is `{total, completed, failed}`; `output_file_id`
 *   holds the outputs of requests that succeeded and `error_file_id` those of requests with errors;
 * - an output line is `{id, custom_id, response: {status_code, request_id, body} | null,
 *   error: {code, message} | null}`.
 * Only the fields starloop reads are checked; servers add more.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const MAX_BATCH_BYTES = 200 * 1000 * 1000;

/** Statuses after which a batch changes no more. */
export const FINISHED = new Set(['failed', 'completed', 'expired', 'cancelled']);

export const BatchObject = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  input_file_id: z.string().nullish(),
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
  created_at: z.number().nullish(),
  completed_at: z.number().nullish(),
  request_counts: z.looseObject({ total: z.number(), completed: z.number(), failed: z.number() }).nullish(),
  errors: z
    .looseObject({ data: z.array(z.looseObject({ code: z.string().nullish(), message: z.string().nullish(), line: z.number().nullish() })).nullish() })
    .nullish(),
});
export type BatchObject = z.infer<typeof BatchObject>;

export const BatchList = z.looseObject({ data: z.array(BatchObject), has_more: z.boolean().nullish() });

export const UploadedFile = z.looseObject({ id: z.string().min(1) });

export const OutputLine = z.looseObject({
  custom_id: z.string(),
  response: z.looseObject({ status_code: z.number().int(), body: z.unknown() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export type OutputLine = z.infer<typeof OutputLine>;

/** One input line; `url` is the API path from the root, e.g. `/v1/chat/completions`. */
export function inputLine(customId: string, url: string, body: Record<string, unknown>): string {
  return `${JSON.stringify({ custom_id: customId, method: 'POST', url, body })}\n`;
}

/** A request's name when the caller gave no sample id: fixed by the request key and sample index. */
export function fallbackCustomId(key: string, index: number): string {
  return createHash('sha256').update(JSON.stringify([key, index])).digest('hex').slice(0, 32);
}

/** What a batch's `errors` say, for a message. */
export function batchErrors(batch: BatchObject): string {
  const errors = batch.errors?.data ?? [];
  if (errors.length === 0) return 'no reason given';
  const shown = errors.slice(0, 3).map((e) => `${e.line ? `line ${e.line}: ` : ''}${e.message ?? e.code ?? 'error'}`);
  return shown.join('; ') + (errors.length > 3 ? `; and ${errors.length - 3} more` : '');
}
