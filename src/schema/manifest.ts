import { z } from 'zod';

export const DatasetFingerprint = z.object({
  path: z.string(),
  sha256: z.string(),
  problems: z.number().int().nonnegative(),
});

export const PolicyRefRecord = z.object({ model: z.string(), checkpoint: z.string().optional() });

/** `manifest.json`: what a run is, so it can be resumed, reproduced and compared. No secrets. */
export const RunManifest = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  tool: z.object({ version: z.string(), gitHash: z.string().nullable() }),
  /** sha256 of the resolved config minus keys that may change on resume (rounds). */
  configHash: z.string(),
  /** The resolved config, as parsed (API keys are never in it: only the names of their variables). */
  config: z.record(z.string(), z.unknown()),
  seeds: z.object({ run: z.number().int(), sampling: z.number().int() }),
  /** The policy evaluated at each entry r (entry 0 is the base). */
  policies: z.array(PolicyRefRecord),
  verifiers: z.record(z.string(), z.string()),
  datasets: z.object({ train: DatasetFingerprint, eval: DatasetFingerprint.optional() }),
  /** Set when this run is the same-steps control (gold data in place of self-generated data). */
  control: z.boolean().default(false),
});
export type RunManifest = z.infer<typeof RunManifest>;
