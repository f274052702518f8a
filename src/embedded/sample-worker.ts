import { parentPort, workerData } from 'node:worker_threads';
import { decodeCheckpoint } from './checkpoint.ts';
import { sampleBatch, type SampleJob, type SampleOptions } from './sampler.ts';

/** One sampling worker: loads the checkpoint it was started with, then answers batches. */
const { checkpoint } = workerData as { checkpoint: Uint8Array };
const { net } = decodeCheckpoint(Buffer.from(checkpoint), 'worker checkpoint');

parentPort!.on('message', (message: { id: number; jobs: SampleJob[]; options: SampleOptions }) => {
  try {
    parentPort!.postMessage({ id: message.id, results: sampleBatch(net, message.jobs, message.options) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message });
  }
});
