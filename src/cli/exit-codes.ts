import { StarloopError } from '../errors.ts';

/** Exit status per error code family; documented in `starloop --help`. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  runStore: 3,
  backend: 4,
  budget: 5,
  interrupted: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (!(error instanceof StarloopError)) return EXIT.failure;
  if (error.code === 'ABORTED') return EXIT.interrupted;
  if (error.code === 'BUDGET_REACHED') return EXIT.budget;
  if (error.code.startsWith('RUN_')) return EXIT.runStore;
  if (error.code === 'POLICY_FAILED' || error.code.startsWith('POLICY_') || error.code.startsWith('TRAINER_') || error.code.startsWith('SANDBOX_') || error.code.startsWith('SERVER_') || error.code === 'VERIFY_FAILED') return EXIT.backend;
  return EXIT.usage;
}
