import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { Problem } from '../../../src/schema/problem.ts';
import { parseVerifierOptions, runVerifier } from '../../../src/verify/run.ts';
import { pythonTests } from '../../../verifiers/code-tests/index.ts';

afterAll(() => pythonTests.dispose?.());

// timeoutMs limits each program from the moment it starts. Waiting for a free sandbox slot
// behind others must not count: here every program takes 15.5 s of a 20 s limit, and the last
// wave starts after more than 45 s in the queue (more than a minute in all).
describe('python-tests under a full queue', () => {
  it('judges every correct program correct, however long it waited for a slot', async () => {
    const problem = Problem.parse({ id: 'py-slow', prompt: 'Write slow_add(a, b).', tests: 'assert slow_add(2, 3) == 5' });
    const answer = 'import time\ndef slow_add(a, b):\n    time.sleep(15.5)\n    return a + b\n';
    const options = parseVerifierOptions(pythonTests, { timeoutMs: 20_000 });
    const verdicts = await Promise.all(Array.from({ length: 4 * availableParallelism() }, () => runVerifier(pythonTests, problem, answer, options)));
    expect(verdicts.map((verdict) => `${verdict.status}: ${verdict.reason.slice(0, 80)}`)).toEqual(verdicts.map(() => expect.stringMatching(/^correct/)));
  }, 180_000);
});
