import { afterAll, describe, expect, it } from 'vitest';
import { Problem } from '../../../src/schema/problem.ts';
import { parseVerifierOptions, runVerifier } from '../../../src/verify/run.ts';
import { pythonTests } from '../../../verifiers/code-tests/index.ts';

afterAll(() => pythonTests.dispose?.());

// HumanEval-style: the prompt is the signature and docstring; a base model answers with the body.
const problem = Problem.parse({
  id: 'py-completion',
  prompt: 'def double(x):\n    """Twice x."""\n',
  tests: 'def check(candidate):\n    assert candidate(4) == 8\n',
  entryPoint: 'double',
});
const options = parseVerifierOptions(pythonTests, { timeoutMs: 2_000 });

describe('python-tests on completion-style answers', () => {
  it('runs prompt + answer when the answer is only the body', async () => {
    const verdict = await runVerifier(pythonTests, problem, '    return x * 2\n', options);
    expect(verdict.status, verdict.reason).toBe('correct');
  });

  it('runs the answer alone when it defines the entry point itself', async () => {
    const verdict = await runVerifier(pythonTests, problem, '```python\ndef double(x):\n    return x + x\n```', options);
    expect(verdict.status, verdict.reason).toBe('correct');
  });

  it('still fails a wrong body', async () => {
    expect((await runVerifier(pythonTests, problem, '    return x * 3\n', options)).status).toBe('incorrect');
  });

  it('does not prepend a prose prompt', async () => {
    const prose = Problem.parse({ ...problem, prompt: 'Write double(x), which returns twice x.' });
    expect((await runVerifier(pythonTests, prose, '    return x * 2\n', options)).status).toBe('incorrect');
  });
});
