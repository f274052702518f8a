import { AbortedError } from '../../errors.ts';
import { backoffMs, sleep } from '../../util/sleep.ts';
import type { PolicyNotice } from '../policy.ts';
import type { Endpoint } from './endpoint.ts';

export type { Endpoint } from './endpoint.ts';

/** A request's hold on one endpoint's slot, from `acquire` until `release`. */
export interface Lease {
  endpoint: Endpoint;
  /** Sent to an endpoint that is out, to learn whether it is back. */
  probe: boolean;
}

/** Failed requests in a row (transient failures, after which the request goes elsewhere) that take an endpoint out. */
const FAILURES_TO_TAKE_OUT = 3;
/** Wait before the first probe of an endpoint taken out; it doubles with each failed probe, up to the maximum. */
const FIRST_PROBE_MS = 2_000;
const MAX_PROBE_MS = 60_000;
/** Weight of the newest answer in an endpoint's latency average. */
const LATENCY_SMOOTHING = 0.2;

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Spreads requests over endpoints by load: a request goes to the endpoint with the fewest requests
 * in flight relative to its share (`weight` × its `maxConcurrency`, or × the policy's concurrency
 * when it has none), never past an endpoint's `maxConcurrency`; ties go to the one with the lower
 * observed latency. With requests in flight kept balanced, each endpoint gets new requests as fast
 * as it finishes old ones, so a replica three times slower gets a third of the requests.
 *
 * An endpoint that fails FAILURES_TO_TAKE_OUT requests in a row, or does not answer at all, is
 * taken out of rotation with a warning while another endpoint is in; after a wait (doubling with
 * each failed probe) one request is sent to it, and its first answer brings it back. With a single
 * endpoint, or when every endpoint a request may use is out, requests keep going to the one due
 * back first, and the caller's retries and backoff decide.
 */
export class EndpointRouter {
  readonly endpoints: Endpoint[];
  readonly #concurrency: number;
  readonly #waiters = new Set<() => void>();
  readonly #listeners = new Set<(notice: PolicyNotice) => void>();

  /** `concurrency`: requests in flight at most over all endpoints. */
  constructor(endpoints: Endpoint[], concurrency: number) {
    this.endpoints = endpoints;
    this.#concurrency = concurrency;
  }

  /** Requests in flight at most: the policy's concurrency, or the endpoints' caps added up when that is less. */
  get capacity(): number {
    return Math.min(this.#concurrency, this.endpoints.reduce((sum, e) => sum + e.maxConcurrency, 0));
  }

  /** Sends the router's notices (endpoints taken out and back) to `listener` until the returned function is called. */
  listen(listener: (notice: PolicyNotice) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A slot on the endpoint a request should use next, waiting while every endpoint it may use is
   * full. `exclude`: endpoints the request has used up its attempts on (at least one must be left);
   * `avoid`: where its last attempt failed, used only when no other endpoint has a free slot.
   */
  async acquire(exclude: ReadonlySet<Endpoint>, avoid: Endpoint | undefined, signal: AbortSignal): Promise<Lease> {
    for (;;) {
      const lease = this.#select(exclude, avoid);
      if (lease) {
        lease.endpoint.inFlight++;
        if (lease.probe) lease.endpoint.probing = true;
        return lease;
      }
      await this.#changed(signal);
    }
  }

  release(lease: Lease): void {
    lease.endpoint.inFlight--;
    if (lease.probe) lease.endpoint.probing = false;
    this.#wake();
  }

  succeeded(endpoint: Endpoint, latencyMs: number): void {
    endpoint.consecutiveFailures = 0;
    endpoint.latencyMs = endpoint.latencyMs === undefined ? latencyMs : endpoint.latencyMs + LATENCY_SMOOTHING * (latencyMs - endpoint.latencyMs);
    if (endpoint.outage) {
      this.#notify({ level: 'info', message: `endpoint ${endpoint.url} answers again after ${seconds(Date.now() - endpoint.outage.since)} out of rotation; it is back in` });
      endpoint.outage = undefined;
      this.#wake();
    }
  }

  /**
   * Books a failed attempt on a lease's endpoint (the request will be retried); `noAnswer`: the
   * server did not answer at all (refused, reset, timed out).
   */
  failed(lease: Lease, failure: { message: string; noAnswer: boolean }): void {
    const { endpoint } = lease;
    endpoint.consecutiveFailures++;
    if (this.endpoints.length < 2) return;
    const now = Date.now();
    if (endpoint.outage) {
      // Requests sent before it was taken out say nothing new; a failed probe puts the next one off.
      if (lease.probe) endpoint.outage.probeAt = now + backoffMs(++endpoint.outage.failedProbes, FIRST_PROBE_MS, MAX_PROBE_MS);
      return;
    }
    if (!failure.noAnswer && endpoint.consecutiveFailures < FAILURES_TO_TAKE_OUT) return;
    if (!this.endpoints.some((e) => e !== endpoint && !e.outage)) return;
    endpoint.outage = { since: now, probeAt: now + FIRST_PROBE_MS, failedProbes: 0 };
    const after = endpoint.consecutiveFailures > 1 ? ` after ${endpoint.consecutiveFailures} failed requests in a row` : '';
    this.#notify({
      level: 'warning',
      message: `endpoint ${endpoint.url} taken out of rotation${after} (${failure.message}); its requests go to the other endpoints, and it is tried again in ${seconds(FIRST_PROBE_MS)}`,
    });
  }

  /** Holds every request to `endpoint` back for `waitMs`: a rate limit applies to all of them, not to the one that met it. */
  rateLimited(endpoint: Endpoint, waitMs: number): void {
    endpoint.rateLimitedUntil = Math.max(endpoint.rateLimitedUntil, Date.now() + waitMs);
  }

  /** Waits until `endpoint` may be sent a request, plus a little spread so that held requests do not all resume at once. */
  async untilOpen(endpoint: Endpoint, signal: AbortSignal): Promise<void> {
    const waitMs = endpoint.rateLimitedUntil - Date.now();
    if (waitMs > 0) await sleep(waitMs + Math.random() * Math.min(250, waitMs / 4), signal, 'sampling interrupted');
  }

  /**
   * `n: auto`: what an answer with `received` choices to a request for several says. More than one
   * proves `n` is honoured, so a later short answer only lost some choices (they are asked for again,
   * for that request alone). Only two single-choice answers with no multi-choice one ever mark an
   * endpoint as ignoring `n`: one could be a short answer from an endpoint that honours it.
   */
  learnN(endpoint: Endpoint, received: number): void {
    if (endpoint.honoursN !== undefined) return;
    if (received > 1) endpoint.honoursN = true;
    else if (++endpoint.singleChoiceAnswers >= 2) endpoint.honoursN = false;
  }

  #select(exclude: ReadonlySet<Endpoint>, avoid: Endpoint | undefined): Lease | undefined {
    const now = Date.now();
    const free = this.endpoints.filter((e) => !exclude.has(e) && e.inFlight < e.maxConcurrency);
    const probe = free.find((e) => e.outage && !e.probing && e.outage.probeAt <= now && e !== avoid);
    if (probe) return { endpoint: probe, probe: true };
    const inRotation = this.endpoints.filter((e) => !exclude.has(e) && !e.outage);
    if (inRotation.length === 0) {
      // Nothing this request may use is in: like a lone endpoint, it goes where an answer is due first.
      return free.length ? { endpoint: free.reduce((a, b) => (b.outage!.probeAt < a.outage!.probeAt ? b : a)), probe: false } : undefined;
    }
    const open = free.filter((e) => !e.outage);
    if (open.length === 0) return undefined;
    const elsewhere = open.filter((e) => e !== avoid);
    const pool = elsewhere.length ? elsewhere : open;
    const ready = pool.filter((e) => e.rateLimitedUntil <= now);
    if (ready.length === 0) return { endpoint: pool.reduce((a, b) => (b.rateLimitedUntil < a.rateLimitedUntil ? b : a)), probe: false };
    return { endpoint: ready.reduce((a, b) => (this.#before(b, a) ? b : a)), probe: false };
  }

  /** Whether a new request is better sent to `a` than to `b`: lower load after it, then lower latency. */
  #before(a: Endpoint, b: Endpoint): boolean {
    const loadA = (a.inFlight + 1) / this.#share(a);
    const loadB = (b.inFlight + 1) / this.#share(b);
    if (Math.abs(loadA - loadB) > 1e-9) return loadA < loadB;
    return (a.latencyMs ?? 0) < (b.latencyMs ?? 0);
  }

  #share(endpoint: Endpoint): number {
    return endpoint.weight * (Number.isFinite(endpoint.maxConcurrency) ? endpoint.maxConcurrency : this.#concurrency);
  }

  #notify(notice: PolicyNotice): void {
    if (this.#listeners.size === 0 && notice.level === 'warning') process.emitWarning(notice.message, 'StarloopWarning');
    for (const listener of this.#listeners) listener(notice);
  }

  #changed(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters.delete(wake);
        reject(new AbortedError('sampling interrupted'));
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal.aborted) return onAbort();
      this.#waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #wake(): void {
    if (this.#waiters.size === 0) return;
    const waiting = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiting) wake();
  }
}
