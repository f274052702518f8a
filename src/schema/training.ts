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

/** The supervised hyperparameters plus DPO's `beta` (the fine-tuning API's `method.dpo.hyperparameters`). */
export const DpoHyperparameters = Hyperparameters.extend({
  beta: z.union([z.number().positive(), z.literal('auto')]).optional().describe('DPO only: how strongly the policy is held to the reference model.'),
}).strict();
export type DpoHyperparameters = z.infer<typeof DpoHyperparameters>;

/**
 * `serve-state.json`: a trained adapter on its way to the policy's servers. Written before the
 * first load and after each endpoint's step, so a resumed run neither trains nor loads again and
 * still knows which servers hold which adapter (to unload it later).
 */
export const ServeState = z.object({
  /** What the trainer returned: a kill while loading does not train again. */
  trained: PolicyRef,
  /** The adapter's name on every endpoint. */
  adapter: z.string().min(1),
  /** The adapter directory the servers load. */
  path: z.string().min(1),
  /** What the next round samples from. */
  served: PolicyRef,
  /** Per endpoint URL: a load sent but not yet confirmed, confirmed by `/v1/models`, or unloaded again. */
  endpoints: z.record(z.string(), z.enum(['loading', 'loaded', 'unloaded'])),
});
export type ServeState = z.infer<typeof ServeState>;
