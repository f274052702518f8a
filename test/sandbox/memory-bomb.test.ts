import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runNode, runPython } from './hostile.ts';

describe.each(MODES)('a memory bomb (%s)', (mode) => {
  it('hits the address-space limit and fails without touching the host', async () => {
    await expectBubblewrap();
    const before = process.memoryUsage().rss;
    const code = 'blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))\n';
    // Each 64 MiB block is zero-filled page by page: slow on a loaded VM, so the wall limit is generous.
    const outcome = await runPython(mode, code, 'pass', { memoryMb: 256, wallMs: 10_000 });
    expect(outcome.passed).toBe(false);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.stderr).toContain('MemoryError');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    await expectNextTaskUnaffected(mode);
  });

  it('in JavaScript is stopped by the heap limit', async () => {
    const code = 'const keep = []; for (;;) keep.push(new Array(1e6).fill(Math.random()));';
    // The heap fills in well under a second on an idle machine; the wall limit only has to lose the race.
    const outcome = await runNode(mode, code, '', { memoryMb: 128, wallMs: 20_000 });
    expect(outcome.passed).toBe(false);
    expect(outcome.timedOut).toBe(false);
    await expectNextTaskUnaffected(mode);
  });
});
