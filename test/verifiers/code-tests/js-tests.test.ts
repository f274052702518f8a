import { afterAll, describe, expect, it } from 'vitest';
import { Problem } from '../../../src/schema/problem.ts';
import { parseVerifierOptions, runVerifier } from '../../../src/verify/run.ts';
import { jsTests } from '../../../verifiers/code-tests/index.ts';

afterAll(() => jsTests.dispose?.());

const asserts = Problem.parse({ id: 'js-add', prompt: 'Write add(a, b).', tests: 'assert.strictEqual(add(1, 2), 3);\nassert.deepEqual([add(0, 0)], [0]);' });
const humanEval = Problem.parse({
  id: 'js-square',
  prompt: 'function square(x)',
  tests: 'function check(candidate) {\n  assert.strictEqual(candidate(3), 9);\n}\n',
  entryPoint: 'square',
});

function verify(problem: Problem, candidate: string, options: Record<string, unknown> = {}) {
  return runVerifier(jsTests, problem, candidate, parseVerifierOptions(jsTests, { timeoutMs: 3_000, ...options }));
}

describe('js-tests', () => {
  it('passes a fenced program that satisfies the tests', async () => {
    const verdict = await verify(asserts, 'Here:\n```javascript\nfunction add(a, b) {\n  return a + b;\n}\n```');
    expect(verdict.status, verdict.reason).toBe('correct');
    expect(verdict.extracted).toMatch(/^[0-9a-f]{16}$/);
  });

  it('accepts const arrow functions (one global scope for candidate and tests)', async () => {
    expect((await verify(asserts, '```js\nconst add = (a, b) => a + b;\n```')).status).toBe('correct');
  });

  it('fails a wrong program, with the assertion in the reason', async () => {
    const verdict = await verify(asserts, '```js\nconst add = (a, b) => a * b;\n```');
    expect(verdict.status).toBe('incorrect');
    expect(verdict.reason).toContain('AssertionError');
  });

  it('calls check(entryPoint) for HumanEval-style tests', async () => {
    expect((await verify(humanEval, 'function square(x) { return x * x; }')).status).toBe('correct');
    expect((await verify(humanEval, 'function square(x) { return x + x; }')).status).toBe('incorrect');
  });

  it('picks the JavaScript block over other fenced blocks', async () => {
    const answer = '```python\ndef add(a, b): return a + b\n```\n```js\nfunction add(a, b) { return a + b; }\n```';
    expect((await verify(asserts, answer)).status).toBe('correct');
  });

  it('fails a program that passes but leaves an endless promise chain running, and says so', async () => {
    const verdict = await verify(asserts, 'function add(a, b) { return a + b; }\n(function spin() { Promise.resolve().then(spin); })();', { timeoutMs: 1_500 });
    expect(verdict.status).toBe('incorrect');
    expect(verdict.reason).toContain('kept running after them');
  });

  it('fails a syntax error and an endless loop', async () => {
    expect((await verify(asserts, 'function add(a, b) { return a + ; }')).status).toBe('incorrect');
    const loop = await verify(asserts, 'function add() { for (;;) {} }', { timeoutMs: 500 });
    expect(loop.status).toBe('incorrect');
    expect(loop.reason).toContain('time limit');
  });
});
