import { describe, expect, it } from 'vitest';
import type { SandboxMode } from '../../src/sandbox/index.ts';
import { HOSTILE_LIMITS, MODES, expectBubblewrap, expectNextTaskUnaffected, runNode, sandboxFor } from './hostile.ts';

const HUMANEVAL_TESTS = 'def check(candidate):\n    assert abs(candidate(2.0) - 4.0) < 1e-6\n    assert all([candidate(3.0) == 9.0])\n';

/** HumanEval style: the harness calls check(square) after the tests are defined. */
function sandboxCheck(mode: SandboxMode, code: string) {
  return sandboxFor(mode).run({ runtime: 'python', code, tests: HUMANEVAL_TESTS, entryPoint: 'square', limits: HOSTILE_LIMITS });
}

describe.each(MODES)("a candidate that tampers with the tests' tools (%s)", (mode) => {
  it('cannot neuter builtins the tests use (abs, all)', async () => {
    await expectBubblewrap();
    const code = 'import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.all = lambda x: True\ndef square(x):\n    return 0\n';
    const outcome = await sandboxCheck(mode, code);
    expect(outcome.passed).toBe(false);
    expect(outcome.testFailure).toContain('AssertionError');
  });

  it('cannot patch builtins lazily, from inside the tested function', async () => {
    const code = 'import builtins\ndef square(x):\n    builtins.abs = lambda x: 0\n    builtins.all = lambda x: True\n    return 0\n';
    expect((await sandboxCheck(mode, code)).passed).toBe(false);
  });

  it('cannot predefine check(): the tests come after the candidate', async () => {
    const code = 'def check(candidate):\n    pass\ndef square(x):\n    return 0\n';
    expect((await sandboxCheck(mode, code)).passed).toBe(false);
  });

  it('cannot swallow the failure with an excepthook or by raising SystemExit(0) from the function', async () => {
    const code = 'import sys\nsys.excepthook = lambda *a: None\ndef square(x):\n    raise SystemExit(0)\n';
    expect((await sandboxCheck(mode, code)).passed).toBe(false);
  });

  it('while an honest square() passes the same tests', async () => {
    expect((await sandboxCheck(mode, 'def square(x):\n    return x * x\n')).passed).toBe(true);
    await expectNextTaskUnaffected(mode);
  });

  it('cannot replace or stub assert in JavaScript', async () => {
    const tests = 'assert.strictEqual(square(3), 9);';
    for (const code of [
      'var assert = { strictEqual() {} };\nfunction square() { return 0; }',
      'assert.strictEqual = () => {};\nfunction square() { return 0; }',
      'globalThis.assert = { strictEqual() {} };\nfunction square() { return 0; }',
    ]) {
      // Failed by its wrong answer, not by a slow start on a loaded machine.
      const outcome = await runNode(mode, code, tests, { wallMs: 15_000 });
      expect(outcome.passed, code).toBe(false);
      expect(outcome.timedOut, code).toBe(false);
    }
    expect((await runNode(mode, 'function square(x) { return x * x; }', tests, { wallMs: 15_000 })).passed).toBe(true);
  });
});

