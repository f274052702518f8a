import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runNode, runPython } from './hostile.ts';

const FAILING_TESTS = 'assert answer() == 42';

describe.each(MODES)('exiting before the tests run (%s)', (mode) => {
  it.each([
    ['os._exit(0)', 'import os\ndef answer():\n    return 0\nos._exit(0)\n'],
    ['sys.exit(0)', 'import sys\ndef answer():\n    return 0\nsys.exit(0)\n'],
    ['exit inside the tested function', 'import os\ndef answer():\n    os._exit(0)\n'],
    ['killing itself', 'import os, signal\ndef answer():\n    os.kill(os.getpid(), signal.SIGKILL)\n'],
  ])('with %s does not pass', async (_name, code) => {
    await expectBubblewrap();
    const outcome = await runPython(mode, code, FAILING_TESTS);
    expect(outcome.passed).toBe(false);
  });

  it('with a honest exit code 0 and no completion signal still does not pass', async () => {
    const outcome = await runPython(mode, 'import os\nos.write(1, b"all tests passed\\n")\nos._exit(0)\n', FAILING_TESTS);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.passed).toBe(false);
    await expectNextTaskUnaffected(mode);
  });

  it('in JavaScript (process.exit(0)) does not pass', async () => {
    const outcome = await runNode(mode, 'function answer() { return 0; }\nprocess.exit(0);', 'assert.equal(answer(), 42);');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.passed).toBe(false);
  });

  it('while the same program without the exit is judged on its tests', async () => {
    const outcome = await runPython(mode, 'def answer():\n    return 42\n', FAILING_TESTS);
    expect(outcome.passed, outcome.stderr).toBe(true);
  });
});
