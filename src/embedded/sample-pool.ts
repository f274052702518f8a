import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.ts';
import type { SampleJob, SampleOptions, SampleResult } from './sampler.ts';

type Reply = { id: number; results?: SampleResult[]; error?: string };

/**
 * Worker threads that each hold a copy of the model and sample a share of every batch. Results
 * equal in-process sampling exactly: each sequence has its own seed and a row's arithmetic does
 * not depend on what it is batched with.
 */
export class SamplePool {
  private readonly workers: Worker[];
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: SampleResult[]) => void; reject: (e: Error) => void }>();

  constructor(checkpoint: Uint8Array, size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = startWorker(import.meta.url, 'sample-worker', { workerData: { checkpoint } });
      worker.on('message', (reply: Reply) => {
        const waiter = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
        else waiter?.resolve(reply.results!);
      });
      worker.on('error', (error) => this.failAll(error));
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Splits the jobs into one contiguous share per worker and joins the results in order. */
  async sample(jobs: SampleJob[], options: SampleOptions): Promise<SampleResult[]> {
    const share = Math.ceil(jobs.length / this.workers.length);
    const parts = this.workers.map((worker, w) => {
      const slice = jobs.slice(w * share, (w + 1) * share);
      if (slice.length === 0) return Promise.resolve([]);
      const id = this.nextId++;
      return new Promise<SampleResult[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ id, jobs: slice, options });
      });
    });
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
