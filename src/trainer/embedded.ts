import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { loadCheckpoint, saveCheckpoint } from '../embedded/checkpoint.ts';
import type { TrainExample } from '../embedded/examples.ts';
import { embeddedModelId } from '../embedded/model-id.ts';
import { BASE_CHECKPOINT_PATH } from '../embedded/paths.ts';
import { deriveSeed } from '../embedded/rng.ts';
import { trainNetwork } from '../embedded/train.ts';
import type { EmbeddedTrainConfig } from '../config/schema.ts';
import { AbortedError, TrainerError } from '../errors.ts';
import { ChatMessage } from '../schema/problem.ts';
import { readJsonl } from '../store/jsonl.ts';
import type { PolicyRef } from '../schema/training.ts';
import { stepsForRound } from './steps.ts';
import type { Trainer, TrainRequest } from './trainer.ts';

/**
 * Defaults for the default run: about 11 s per round on one core, and enough to lift 5-digit
 * pass@1 from ~13% to ~85% in one round (measured with scripts/bench/star-embedded.ts).
 */
export const EMBEDDED_TRAIN_DEFAULTS = { steps: 200, learningRate: 1e-3, batchSize: 32 } as const;

/** One fine-tuning line: the last turn is the assistant's answer to the user turn before it. */
const ChatExampleLine = z
  .object({ messages: z.array(ChatMessage).min(2) })
  .refine((line) => line.messages.at(-1)?.role === 'assistant', { message: 'the last message must be from the assistant' })
  .refine((line) => line.messages.slice(0, -1).some((m) => m.role === 'user'), { message: 'needs a user message before the answer' });

/**
 * What a finished round wrote, so a resumed run returns it instead of training again: the start by
 * its digest and the checkpoint by its name in the trainer's folder, so a moved run directory
 * finds it where it is now and never the one where the directory was.
 */
const FinishedState = z.object({ datasetSha: z.string(), startDigest: z.string(), model: z.string(), checkpoint: z.string() });

export function createEmbeddedTrainer(config: EmbeddedTrainConfig): Trainer {
  const schedule = config.steps ?? EMBEDDED_TRAIN_DEFAULTS.steps;
  const learningRate = config.learningRate ?? EMBEDDED_TRAIN_DEFAULTS.learningRate;
  const batchSize = config.batchSize ?? EMBEDDED_TRAIN_DEFAULTS.batchSize;
  return {
    id: 'embedded',
    async train(request: TrainRequest): Promise<PolicyRef> {
      if (!existsSync(request.datasetPath)) throw new TrainerError(`dataset ${request.datasetPath} does not exist`);
      const datasetSha = createHash('sha256').update(await readFile(request.datasetPath)).digest('hex');
      const lines = await readJsonl(request.datasetPath, ChatExampleLine);
      if (lines.length === 0) return request.start;
      const startPath = request.start.checkpoint ?? BASE_CHECKPOINT_PATH;
      const steps = stepsForRound(schedule, request.round);

      const { net, digest: startDigest } = await loadCheckpoint(startPath);
      const prior = FinishedState.safeParse(await request.state.read());
      if (prior.success && prior.data.datasetSha === datasetSha && prior.data.startDigest === startDigest && basename(prior.data.checkpoint) === prior.data.checkpoint) {
        const checkpoint = join(request.outDir, prior.data.checkpoint);
        if (existsSync(checkpoint)) return { model: prior.data.model, checkpoint };
      }

      const examples: TrainExample[] = lines.map(({ messages }) => {
        const prompt = [...messages.slice(0, -1)].reverse().find((m) => m.role === 'user')!;
        return { prompt: prompt.content, completion: messages.at(-1)!.content };
      });
      for (const [i, e] of examples.entries()) {
        const tokens = [...e.prompt].length + [...e.completion].length + 2;
        if (tokens > net.config.contextLength) {
          throw new TrainerError(
            `${request.datasetPath}:${i + 1}: example of ${tokens} tokens exceeds the embedded model's context of ${net.config.contextLength}`,
          );
        }
      }
      request.onProgress?.({ stage: 'step', done: 0, total: steps });
      // Deterministic: the seed comes from what is trained on and where training starts.
      const seed = deriveSeed('embedded-trainer', datasetSha, startDigest, request.round);
      const result = await trainNetwork(net, examples, {
        steps, batchSize, learningRate, seed, signal: request.signal,
        onStep(done) {
          if (done % 10 === 0 || done === steps) request.onProgress?.({ stage: 'step', done, total: steps });
        },
      });
      if (request.signal?.aborted || result.steps < steps) throw new AbortedError('training interrupted');

      await mkdir(request.outDir, { recursive: true });
      const name = `embedded-round-${request.round}.ckpt`;
      const checkpoint = join(request.outDir, name);
      const digest = await saveCheckpoint(checkpoint, net, {
        trainedBy: 'starloop embedded trainer', round: request.round, start: startDigest, examples: examples.length,
        steps, learningRate, batchSize, finalLoss: result.losses.at(-1),
      });
      const ref = { model: embeddedModelId(digest), checkpoint };
      await request.state.write({ datasetSha, startDigest, model: ref.model, checkpoint: name });
      return ref;
    },
  };
}
