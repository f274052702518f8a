import { z } from 'zod';

/** Which model a round samples from: a remote model id, or an embedded checkpoint path. */
export const PolicyRef = z.object({ model: z.string().min(1), checkpoint: z.string().min(1).optional() });
export type PolicyRef = z.infer<typeof PolicyRef>;

/**
 * `trainer-state.json`: whatever a trainer must remember across `kill -9` to continue a paid job
 * instead of starting another (the OpenAI trainer keeps its file and job ids). Each trainer parses
 * its own fields; the store only keeps the object.
 */
export const TrainerState = z.record(z.string(), z.unknown());
export type TrainerState = z.infer<typeof TrainerState>;

/** The OpenAI fine-tuning API's supervised hyperparameters (also what `starloop serve` accepts). */
export const Hyperparameters = z
  .object({
    n_epochs: z.union([z.number().int().positive(), z.literal('auto')]).optional().describe('Epochs over the dataset.'),
    batch_size: z.union([z.number().int().positive(), z.literal('auto')]).optional().describe('Examples per batch.'),
    learning_rate_multiplier: z.union([z.number().positive(), z.literal('auto')]).optional().describe("Scales the provider's learning rate."),
  })
  .strict();
export type Hyperparameters = z.infer<typeof Hyperparameters>;
