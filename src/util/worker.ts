import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker module `name` (without extension) that sits beside `from` (an
 * `import.meta.url`). Built, it is plain JavaScript. From the source tree it is TypeScript, and a
 * worker thread does not inherit the parent's loader, so worker-boot.mjs registers tsx first
 * (tsx is a dev dependency: only the source tree needs it).
 */
export function startWorker(from: string, name: string, options: WorkerOptions & { workerData?: Record<string, unknown> } = {}): Worker {
  if (from.endsWith('.js')) return new Worker(new URL(`./${name}.js`, from), options);
  const entry = new URL(`./${name}.ts`, from).href;
  return new Worker(new URL('./worker-boot.mjs', import.meta.url), { ...options, workerData: { ...options.workerData, entry } });
}
