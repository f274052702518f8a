import type { GenerationRequest } from '../../../../src/policy/policy.ts';
import type { StateCell } from '../../../../src/store/run-store.ts';
import type { TrainerState } from '../../../../src/schema/training.ts';
import { arithmetic, promptFor } from '../../../helpers/openai-policy-setup.ts';

/** Every arithmetic problem with sample indices 0..k-1, each sample named by an id of its own. */
export function batchRequests(k: number): GenerationRequest[] {
  return Object.keys(arithmetic).map((problem, p) => {
    const indices = Array.from({ length: k }, (_, i) => i);
    return { ...promptFor(problem, indices), idOf: (i: number) => `sample-${p}-${i}` };
  });
}

/** A StateCell in memory that keeps what a state file would (a JSON round trip). */
export function memoryState(): StateCell & { value: TrainerState | undefined } {
  const cell = {
    value: undefined as TrainerState | undefined,
    read: async () => (cell.value === undefined ? undefined : (JSON.parse(JSON.stringify(cell.value)) as TrainerState)),
    write: async (value: TrainerState) => {
      cell.value = JSON.parse(JSON.stringify(value)) as TrainerState;
    },
  };
  return cell;
}

/** The custom_ids of a batch's input file, as the server received them. */
export async function inputIds(uploads: { id: string; path: string }[], fileId: string): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  const file = uploads.find((u) => u.id === fileId)!;
  return (await readFile(file.path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { custom_id: string }).custom_id);
}
