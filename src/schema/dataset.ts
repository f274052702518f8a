import { z } from 'zod';
import { ChatMessage } from './problem.ts';
import { VerdictStatus } from './verdict.ts';

/** A verified-correct sample kept for the fine-tuning set. */
export const Survivor = z.object({
  problemId: z.string(),
  sampleId: z.string(),
  round: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
  /** Drawn with the gold answer as a hint (STaR rationalization); its prompt in the dataset is unhinted. */
  hinted: z.boolean(),
  text: z.string(),
  verifier: z.string(),
  /** Its verdict: not `correct` only when the selection filter keeps unverified samples (`select.filter: none` or `majority`). */
  status: VerdictStatus.optional(),
  /** The model that sampled it (a teacher's, in distillation). */
  model: z.string().optional(),
});
export type Survivor = z.infer<typeof Survivor>;

/** One line of `dataset.jsonl`: the OpenAI chat fine-tuning format TRL, axolotl and LLaMA-Factory also read. */
export const DatasetLine = z.object({ messages: z.array(ChatMessage).min(2) });
export type DatasetLine = z.infer<typeof DatasetLine>;

/** The sidecar line that says where dataset line `line` came from. */
export const Provenance = z.object({
  line: z.number().int().positive(),
  problemId: z.string(),
  sampleId: z.string().nullable(),
  round: z.number().int().nonnegative(),
  source: z.enum(['sampled', 'rationalized', 'gold-control']),
  verifier: z.string().nullable(),
  /** The sample's verdict, when it was judged (absent in datasets written before it was recorded). */
  status: VerdictStatus.optional(),
  /** The model that sampled it. */
  model: z.string().optional(),
});
export type Provenance = z.infer<typeof Provenance>;
