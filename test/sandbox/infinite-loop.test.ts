import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runNode, runPython } from './hostile.ts';

describe.each(MODES)('an infinite loop (%s)', (mode) => {
  it('is killed at the wall limit and fails', async () => {
    await expectBubblewrap();
    const started = performance.now();
    const outcome = await runPython(mode, 'while True:\n    pass\n', 'pass', { wallMs: 1_000 });
    expect(outcome.passed).toBe(false);
    expect(outcome.timedOut || outcome.signal === 'SIGXCPU').toBe(true);
    expect(performance.now() - started).toBeLessThan(3_000);
    await expectNextTaskUnaffected(mode);
  });

  it('in JavaScript is killed too', async () => {
    const outcome = await runNode(mode, 'for (;;) {}', '', { wallMs: 1_000 });
    expect(outcome.passed).toBe(false);
    // Whichever comes first ends it: the wall timer, or the CPU limit (SIGXCPU, then SIGKILL at the hard limit).
    expect(outcome.timedOut || outcome.signal === 'SIGXCPU' || outcome.signal === 'SIGKILL').toBe(true);
    expect(outcome.durationMs).toBeLessThan(3_000);
    await expectNextTaskUnaffected(mode);
  });
});
