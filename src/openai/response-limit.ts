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

function isIdentityCoded(response: Response): boolean {
  const coding = response.headers.get('content-encoding');
  return coding === null || coding.trim().toLowerCase() === 'identity' || coding.trim() === '';
}

/** `fetch` whose response bodies fail with a ResponseTooLargeError once they pass `limit` bytes. */
export function limitedFetch(limit: number, what = 'the most starloop reads from a server'): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.body === null) return response;
    const declared = declaredLength(response);
    // A body sent as declared (no content coding) cannot pass its Content-Length: the HTTP parser
    // frames it by that length. Only a compressed or undeclared body needs counting as it is read.
    if (declared !== undefined && declared <= limit && isIdentityCoded(response)) return response;
    let body: ReadableStream<Uint8Array>;
    if ((declared ?? 0) > limit) {
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
