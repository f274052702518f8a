import { beforeAll, describe, expect, it } from 'vitest';
import { math } from '../../../verifiers/math/index.ts';
import { judge } from '../../verify/judge.ts';

async function timed(gold: string, candidate: string): Promise<{ status: string; ms: number }> {
  const started = performance.now();
  const verdict = await judge(math, gold, candidate);
  return { status: verdict.status, ms: performance.now() - started };
}

describe('math verifier on hostile input', () => {
  // Loading mathjs takes seconds on a busy machine; the bounds below are about judging, not loading.
  beforeAll(async () => {
    await judge(math, '1', '\\boxed{1}');
  }, 60_000);

  it.each([
    ['deep nesting', '1', `\\boxed{${'('.repeat(5_000)}1${')'.repeat(5_000)}}`],
    ['a huge expression', 'x', `\\boxed{${Array.from({ length: 3_000 }, (_, i) => `x^{${i}}`).join('+')}}`],
    ['thousands of unclosed boxes', '1', '\\boxed{'.repeat(20_000)],
    ['thousands of unclosed display maths', '1', '$$ \\[ '.repeat(20_000)],
    ['an enormous binomial', '1', '\\boxed{\\binom{10^{12}}{5 \\cdot 10^{11}}}'],
    ['an enormous factorial', '1', '\\boxed{(10^{9})!}'],
    ['a matrix power', '1', '\\boxed{\\begin{pmatrix}1&1\\\\0&1\\end{pmatrix}^{1000000000}}'],
    ['words that might be units', '1', `\\boxed{1 ${'ab '.repeat(600)}+}`],
    ['a run of letters after a number', '1', `\\boxed{1${'a'.repeat(1_900)}+}`],
  ])('%s is judged quickly and never passes by accident', async (_name, gold, candidate) => {
    const { status, ms } = await timed(gold, candidate);
    expect(ms).toBeLessThan(1_500);
    expect(status).not.toBe('correct');
  });

  it('reads the answer at the end of a very long solution quickly', async () => {
    const { status, ms } = await timed('7', `${'We consider the case $x = 1$ and so on. '.repeat(4_000)} so \\boxed{7}`);
    expect(ms).toBeLessThan(1_500);
    expect(status).toBe('correct');
  });

  it('reports a spent budget as an error, never as a verdict on the answer', async () => {
    const values = Array.from({ length: 150 }, (_, i) => `\\sqrt{${i + 2}}`);
    const gold = `\\{${values.join(', ')}\\}`;
    const candidate = `\\boxed{\\{${[...values].reverse().join(', ')}\\}}`;
    expect(await judge(math, gold, candidate)).toMatchObject({ status: 'correct' });
    expect(await judge(math, gold, candidate, { budgetMs: 1 })).toMatchObject({ status: 'error', score: 0 });
  });
});
