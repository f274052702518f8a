import type { GenerationRequest, RequestSource } from './policy.ts';

/** A fixed list of requests as a source, handed out in order. */
export function requestsOf(requests: readonly GenerationRequest[]): RequestSource {
  let next = 0;
  return {
    async take(max) {
      if (next >= requests.length) return undefined;
      const batch = requests.slice(next, next + Math.max(1, max));
      next += batch.length;
      return batch;
    },
  };
}
