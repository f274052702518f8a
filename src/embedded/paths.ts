import { fileURLToPath } from 'node:url';

/** The base checkpoint that ships with the package (trained by scripts/train-base.ts). */
export const BASE_CHECKPOINT_PATH = fileURLToPath(new URL('./checkpoints/base.ckpt', import.meta.url));
