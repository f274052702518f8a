import { APIConnectionTimeoutError } from 'openai';
import { MalformedResponseError } from './errors.ts';

/**
 * Bounds on what a server's answer may make starloop hold. fetch hands over bodies already
 * decompressed, so counting what it hands over bounds the decompressed size (a gzip bomb stops
 * being inflated when reading stops), and a declared Content-Length bounds the raw size up front.
 */

/** Any answer from an OpenAI-compatible server (errors, job lists, uploads' receipts): far above what a real one sends. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class ResponseTooLargeError extends MalformedResponseError {}

const tooLarge = (limit: number, what: string) => new ResponseTooLargeError(`response body over ${limit} bytes (${what}); stopped reading`);

function declaredLength(response: Response): number | undefined {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  return Number.isFinite(declared) ? declared : undefined;
}

/** `fetch` whose response bodies fail with a ResponseTooLargeError once they pass `limit` bytes. */
export function limitedFetch(limit: number, what = 'the most starloop reads from a server'): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null) return response;
    let body: ReadableStream<Uint8Array>;
    if ((declaredLength(response) ?? 0) > limit) {
      void response.body.cancel();
      body = new ReadableStream({ start: (controller) => controller.error(tooLarge(limit, what)) });
    } else {
      let size = 0;
      body = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            size += chunk.byteLength;
            if (size > limit) controller.error(tooLarge(limit, what));
            else controller.enqueue(chunk);
          },
        }),
      );
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * The body as text, read up to `limit` bytes and within `timeoutMs` (the client's own timeout
 * ends when the headers arrive; a server may trickle the body forever).
 */
export async function readBodyText(response: Response, limit: number, what: string, timeoutMs: number): Promise<string> {
  if (response.body === null) return '';
  if ((declaredLength(response) ?? 0) > limit) {
    void response.body.cancel();
    throw tooLarge(limit, what);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void reader.cancel();
  }, timeoutMs);
  let text = '';
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw new APIConnectionTimeoutError({ message: `the response body did not arrive within ${timeoutMs} ms` });
      if (done) return text + decoder.decode();
      size += value.byteLength;
      if (size > limit) {
        void reader.cancel();
        throw tooLarge(limit, what);
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
  }
}
