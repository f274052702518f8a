import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { HOSTILE_LIMITS, MODES, expectBubblewrap, expectNextTaskUnaffected, sandboxFor } from './hostile.ts';

describe.each(MODES)('aborting a run (%s)', (mode) => {
  it('kills it at once and fails it', async () => {
    await expectBubblewrap();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = performance.now();
    const outcome = await sandboxFor(mode).run({
      runtime: 'python',
      code: 'import time\ntime.sleep(30)\n',
      tests: 'pass',
      limits: { ...HOSTILE_LIMITS, wallMs: 10_000 },
      signal: controller.signal,
    });
    expect(outcome.passed).toBe(false);
    // Well under the 10 s wall limit: the abort stopped it, not the limit (a loaded machine needs the slack).
    expect(performance.now() - started).toBeLessThan(6_000);
    await expectNextTaskUnaffected(mode);
  });
});

describe('aborting a run that waits for a slot', () => {
  it('drops it from the queue without running it', async () => {
    const sandbox = createSandbox({ slots: 1, strict: true });
    try {
      const busy = sandbox.run({ runtime: 'python', code: 'import time\ntime.sleep(1)', tests: 'pass', limits: HOSTILE_LIMITS });
      const controller = new AbortController();
      const waiting = sandbox.run({
        runtime: 'python',
        code: 'open("/tmp/ran", "w").write("ran")\nprint("ran")',
        tests: 'pass',
        limits: HOSTILE_LIMITS,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 100);
      const dropped = await waiting;
      expect(dropped.passed).toBe(false);
      expect(dropped.sandboxFailure).toContain('aborted');
      expect(dropped.stdout).toBe('');
      expect((await busy).passed).toBe(true);
    } finally {
      await sandbox.dispose();
    }
  });
});
