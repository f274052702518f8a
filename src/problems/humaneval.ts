import { z } from 'zod';
import { parseRecord, type ProblemFormatReader } from './format.ts';

const HumanEvalLine = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  test: z.string().min(1),
  entry_point: z.string().min(1),
  canonical_solution: z.string().optional(),
});

/** HumanEval (Chen et al. 2021): `test` defines `check(candidate)`, called on `entry_point`. */
export const humanevalFormat: ProblemFormatReader = {
  name: 'humaneval',
  defaultVerifier: 'python-tests',
  matches: (keys) => keys.has('task_id') && keys.has('entry_point') && keys.has('test'),
  read(record) {
    const raw = parseRecord(HumanEvalLine, record);
    const meta: Record<string, unknown> = {};
    if (raw.canonical_solution !== undefined) meta.canonicalSolution = raw.canonical_solution;
    return { id: raw.task_id, prompt: raw.prompt, tests: raw.test, entryPoint: raw.entry_point, meta };
  },
};
