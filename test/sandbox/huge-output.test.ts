import { describe, expect, it } from 'vitest';
import { HOSTILE_LIMITS, MODES, expectBubblewrap, expectNextTaskUnaffected, runPython } from './hostile.ts';

describe.each(MODES)('huge output (%s)', (mode) => {
  it('is capped, kills the run and fails it', async () => {
    await expectBubblewrap();
    const before = process.memoryUsage().rss;
    const code = 'import sys\nwhile True:\n    sys.stdout.write("x" * 65536)\n';
    const outcome = await runPython(mode, code, 'pass', { wallMs: 5_000 });
    expect(outcome.passed).toBe(false);
    expect(outcome.outputExceeded).toBe(true);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.stdout.length + outcome.stderr.length).toBeLessThanOrEqual(HOSTILE_LIMITS.maxOutputBytes);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    await expectNextTaskUnaffected(mode);
  });
});
