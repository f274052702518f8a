import { expect, test } from 'vitest';
import { parseConfig } from '../../src/index.ts';
import { chooseSurvivors } from '../../src/pipeline/survivors.ts';
import type { Survivor } from '../../src/schema/dataset.ts';
import type { Sample } from '../../src/schema/sample.ts';
import { createVerifierRegistry } from '../../verifiers/index.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';

test('select.pool all pools earlier rounds of more survivors than a function call takes arguments', async () => {
  const config = parseConfig({ name: 'pool', problems: { train: 'unused.jsonl' }, verifier: 'numeric', select: { pool: 'all', dedupe: 'exact' } });
  // 150,000 survivors a round: spreading them into push() throws RangeError (Maximum call stack size exceeded).
  const roundOf = (round: number): Survivor[] =>
    Array.from({ length: 150_000 }, (_, i) => ({ problemId: `p${i}`, sampleId: `r${round}s${i}`, round, index: 0, hinted: false, text: `The answer is ${i % 3 === 0 ? round : 7}.`, verifier: 'numeric', status: 'correct' }));
  const read: number[] = [];
  const chosen = await chooseSurvivors({
    config, round: 2, problems: [], evalIds: new Set(),
    samples: async function* (): AsyncGenerator<Sample> {},
    verdicts: async function* () {},
    correct: () => true, rejected: () => false, verifierOf: () => 'numeric',
    resolver: new VerifierResolver(createVerifierRegistry([]), 'numeric'),
    store: { readSurvivors: async (round) => (read.push(round), roundOf(round)) },
    emit: () => {},
  });
  expect(read).toEqual([0, 1]);
  expect(chosen.survivors).toEqual([]);
  // Round 1 repeats round 0's text where i % 3 !== 0 ("The answer is 7."): the earlier one is kept.
  expect(chosen.training).toHaveLength(150_000 + 50_000);
  expect(chosen.training[0]).toMatchObject({ sampleId: 'r0s0' });
  expect(chosen.training.filter((s) => s.round === 1).every((s) => Number(s.problemId.slice(1)) % 3 === 0)).toBe(true);
});
