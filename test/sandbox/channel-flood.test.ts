import { describe, expect, it } from 'vitest';
import { HOSTILE_LIMITS, MODES, expectBubblewrap, expectNextTaskUnaffected, sandboxFor } from './hostile.ts';

/** Every channel out of the sandbox is capped, the test channel (fd 3) included. */
describe.each(MODES)('a flood on the test channel (%s)', (mode) => {
  it.each(['separate-process', 'in-process'] as const)('in %s mode fails without growing the host', async (testMode) => {
    await expectBubblewrap();
    const before = process.memoryUsage().rss;
    const code = "import os\nchunk = b'x' * 65536\nwhile True:\n    os.write(3, chunk)\n";
    const outcome = await sandboxFor(mode).run({ runtime: 'python', code, tests: 'pass', testMode, limits: { ...HOSTILE_LIMITS, wallMs: 4_000 } });
    expect(outcome.passed).toBe(false);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    await expectNextTaskUnaffected(mode);
  });
});
