import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runNode, runPython } from './hostile.ts';

/**
 * A pass needs every test to pass AND the program to end by itself within the limits: work left
 * running after the tests (a promise chain, a timer, a thread) fails it, and a program killed by
 * any signal fails with the signal named, never as a sandbox error.
 */
describe.each(MODES)('ending cleanly (%s)', (mode) => {
  it('a JavaScript program that passes, then keeps an endless Promise.then loop running, fails', async () => {
    await expectBubblewrap();
    const code = 'function add(a, b) { return a + b; }\n(function spin() { Promise.resolve().then(spin); })();';
    const outcome = await runNode(mode, code, 'assert.strictEqual(add(2, 3), 5);');
    expect(outcome.passed).toBe(false);
    expect(outcome.timedOut).toBe(true);
    await expectNextTaskUnaffected(mode, { runtime: 'node', code: 'function add(a, b) { return a + b; }', tests: 'assert.strictEqual(add(2, 3), 5);' });
  });

  it('a JavaScript program that leaves an interval timer fails', async () => {
    const outcome = await runNode(mode, 'function add(a, b) { return a + b; }\nsetInterval(() => {}, 100);', 'assert.strictEqual(add(2, 3), 5);');
    expect(outcome.passed).toBe(false);
    expect(outcome.timedOut).toBe(true);
  });

  it('a Python program that leaves a thread running fails', async () => {
    const code = 'import threading, time\ndef add(a, b):\n    return a + b\nthreading.Thread(target=lambda: time.sleep(3600)).start()\n';
    const outcome = await runPython(mode, code, 'assert add(2, 3) == 5');
    expect(outcome.passed).toBe(false);
    expect(outcome.timedOut).toBe(true);
    await expectNextTaskUnaffected(mode);
  });

  it.each([
    ['at the top level', 'import os\nos.kill(os.getpid(), 40)\n'],
    ['from the tested function', 'import os\ndef add(a, b):\n    os.kill(os.getpid(), 40)\n'],
  ])('a program killed by a real-time signal (40) %s fails with the signal named', async (_where, code) => {
    const outcome = await runPython(mode, code, 'assert add(2, 3) == 5');
    expect(outcome.sandboxFailure).toBeUndefined();
    expect(outcome.passed).toBe(false);
    expect(outcome.signal).toBe('SIGRTMIN+6');
    await expectNextTaskUnaffected(mode);
  });
});
