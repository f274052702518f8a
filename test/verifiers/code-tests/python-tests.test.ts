import { afterAll, describe, expect, it } from 'vitest';
import { Problem } from '../../../src/schema/problem.ts';
import { parseVerifierOptions, runVerifier } from '../../../src/verify/run.ts';
import { pythonTests } from '../../../verifiers/code-tests/index.ts';

afterAll(() => pythonTests.dispose?.());

const asserts = Problem.parse({ id: 'py-add', prompt: 'Write add(a, b).', tests: 'assert add(1, 2) == 3\nassert add(-1, 1) == 0' });
const humanEval = Problem.parse({
  id: 'py-square',
  prompt: 'Write square(x), which returns x squared.',
  tests: 'def check(candidate):\n    assert candidate(3) == 9\n    assert candidate(-2) == 4\n',
  entryPoint: 'square',
});

function verify(problem: Problem, candidate: string, options: Record<string, unknown> = {}) {
  return runVerifier(pythonTests, problem, candidate, parseVerifierOptions(pythonTests, { timeoutMs: 2_000, ...options }));
}

describe('python-tests', () => {
  it('passes a fenced program that satisfies assert tests', async () => {
    const verdict = await verify(asserts, 'Sure:\n```python\ndef add(a, b):\n    return a + b\n```\nDone.');
    expect(verdict.status, verdict.reason).toBe('correct');
    expect(verdict.score).toBe(1);
    expect(verdict.extracted).toMatch(/^[0-9a-f]{16}$/);
  });

  it('fails a program whose asserts fail, and says which', async () => {
    const verdict = await verify(asserts, '```python\ndef add(a, b):\n    return a - b\n```');
    expect(verdict.status).toBe('incorrect');
    expect(verdict.reason).toContain('AssertionError');
  });

  it('calls check(entryPoint) for HumanEval-style tests', async () => {
    expect((await verify(humanEval, 'def square(x):\n    return x * x\n')).status).toBe('correct');
    expect((await verify(humanEval, 'def square(x):\n    return None\n')).status).toBe('incorrect');
  });

  it('fails a program that does not define the entry point', async () => {
    const verdict = await verify(humanEval, 'def cube(x):\n    return x ** 3\n');
    expect(verdict.status).toBe('incorrect');
    expect(verdict.reason).toContain('square');
  });

  it('gives identical programs the same extracted hash, whatever the wrapping', async () => {
    const a = await verify(asserts, '```python\ndef add(a, b):\n    return a + b\n```');
    const b = await verify(asserts, 'Here you go\n```py\r\ndef add(a, b):   \r\n    return a + b\r\n\r\n```\n');
    const c = await verify(asserts, '```python\ndef add(a, b):\n    return b + a\n```');
    expect(a.extracted).toBe(b.extracted);
    expect(c.extracted).not.toBe(a.extracted);
  });

  it('reports the time limit', async () => {
    const verdict = await verify(asserts, 'def add(a, b):\n    while True:\n        pass\n', { timeoutMs: 500 });
    expect(verdict.status).toBe('incorrect');
    expect(verdict.reason).toMatch(/time limit|CPU/);
  });

  it('is unparseable without code and an error without tests', async () => {
    expect((await verify(asserts, '```python\n```')).status).toBe('unparseable');
    const noTests = Problem.parse({ id: 'py-none', prompt: 'Anything' });
    const verdict = await verify(noTests, 'def add(a, b):\n    return a + b\n');
    expect(verdict.status).toBe('error');
    expect(verdict.reason).toContain('no tests');
  });

  it('rejects unknown or out-of-range options by name', () => {
    expect(() => parseVerifierOptions(pythonTests, { memoryMB: 10 })).toThrow(/memoryMB/);
    expect(() => parseVerifierOptions(pythonTests, { timeoutMs: -1 })).toThrow(/timeoutMs/);
  });

  it('keeps working after dispose (workers restart on demand)', async () => {
    await pythonTests.dispose?.();
    expect((await verify(asserts, 'def add(a, b):\n    return a + b\n')).status).toBe('correct');
  });

  it('judges a program killed by a real-time signal incorrect, naming the signal', async () => {
    for (const mode of ['pool', 'one-shot']) {
      const verdict = await verify(asserts, 'import os\ndef add(a, b):\n    os.kill(os.getpid(), 40)\n', { mode });
      expect(verdict.status, verdict.reason).toBe('incorrect');
      expect(verdict.reason).toContain('SIGRTMIN+6');
    }
  });

  it('says which test mode judged it; in-process is chosen per problem, for tests that pass callbacks', async () => {
    const callbacks = Problem.parse({ id: 'py-apply', prompt: 'Write apply(f, x).', tests: 'assert apply(lambda v: v + 1, 2) == 3' });
    const answer = 'def apply(f, x):\n    return f(x)\n';
    const separate = await verify(callbacks, answer);
    expect(separate.status).toBe('incorrect');
    expect(separate.reason).toContain("testMode 'in-process'");
    expect(separate.reason).toContain('tests in a separate process');
    const inProcess = await verify(callbacks, answer, { testMode: 'in-process' });
    expect(inProcess.status, inProcess.reason).toBe('correct');
    expect(inProcess.reason).toContain('in-process tests: weaker');
  });

  it('gives the same verdict in one-shot mode', async () => {
    expect((await verify(humanEval, 'def square(x):\n    return x * x\n', { mode: 'one-shot' })).status).toBe('correct');
    expect((await verify(humanEval, 'def square(x):\n    return x\n', { mode: 'one-shot' })).status).toBe('incorrect');
  });
});
