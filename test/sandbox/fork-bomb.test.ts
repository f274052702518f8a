import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runPython } from './hostile.ts';

describe.each(MODES)('a fork bomb (%s)', (mode) => {
  it('is stopped by the process limit (which binds: the sandbox uid is not root)', async () => {
    await expectBubblewrap();
    const code = [
      'import os',
      'children = 0',
      'try:',
      '    while True:',
      '        if os.fork() == 0:',
      '            import time',
      '            time.sleep(60)',
      '            os._exit(0)',
      '        children += 1',
      'except OSError:',
      '    pass',
      'print("forked", children)',
      'raise SystemExit(3)',
    ].join('\n');
    const outcome = await runPython(mode, code, 'pass', { processes: 16 });
    expect(outcome.passed).toBe(false);
    const forked = Number(/forked (\d+)/.exec(outcome.stdout)?.[1]);
    expect(forked).toBeGreaterThan(0);
    expect(forked).toBeLessThan(16);
    await expectNextTaskUnaffected(mode);
  });

  it('that never stops forking ends at the wall limit and leaves the next task unaffected', async () => {
    const outcome = await runPython(mode, 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n', 'pass', {
      processes: 32,
      wallMs: 1_000,
    });
    expect(outcome.passed).toBe(false);
    await expectNextTaskUnaffected(mode);
  });
});
