import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runPython } from './hostile.ts';

describe.each(MODES)('sleeping forever (%s)', (mode) => {
  it('uses no CPU, so only the wall-clock limit stops it', async () => {
    await expectBubblewrap();
    const started = performance.now();
    const outcome = await runPython(mode, 'import time\ntime.sleep(10_000)\n', 'pass', { wallMs: 1_000 });
    expect(outcome.passed).toBe(false);
    expect(outcome.timedOut).toBe(true);
    expect(performance.now() - started).toBeLessThan(3_000);
    await expectNextTaskUnaffected(mode);
  });
});
