import { z } from 'zod';
import { VOCAB_SIZE } from './tokenizer.ts';

/** Shape of the transformer; stored inside every checkpoint. */
export const ModelConfig = z
  .object({
    vocabSize: z.number().int().positive(),
    contextLength: z.number().int().positive(),
    dModel: z.number().int().positive(),
    nHeads: z.number().int().positive(),
    nLayers: z.number().int().positive(),
    /** MLP hidden width as a multiple of dModel. */
    mlpRatio: z.number().int().positive(),
    /** Output layer shares the token embedding matrix. */
    tiedEmbeddings: z.boolean(),
  })
  .strict()
  .refine((c) => c.dModel % c.nHeads === 0, { message: 'dModel must be divisible by nHeads' })
  .refine((c) => c.dModel % 4 === 0 && c.vocabSize % 4 === 0, { message: 'dModel and vocabSize must be multiples of 4' });
export type ModelConfig = z.infer<typeof ModelConfig>;

export const DEFAULT_MODEL_CONFIG: ModelConfig = {
  vocabSize: VOCAB_SIZE,
  contextLength: 32,
  dModel: 64,
  nHeads: 4,
  nLayers: 3,
  mlpRatio: 4,
  tiedEmbeddings: true,
};
