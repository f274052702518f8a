import { describe, expect, it } from 'vitest';
import { SandboxError } from '../../src/errors.ts';
import { BWRAP_ENV, STRICT_ENV, createSandbox, requireIsolation } from '../../src/sandbox/index.ts';

// This file pretends bubblewrap is missing (each vitest file runs in its own process).
process.env[BWRAP_ENV] = '/nonexistent/bwrap';

describe('without bubblewrap', () => {
  it('strict mode refuses with SANDBOX_UNAVAILABLE', async () => {
    const error = await requireIsolation(true).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).code).toBe('SANDBOX_UNAVAILABLE');
    const sandbox = createSandbox({ strict: true });
    await expect(sandbox.run({ runtime: 'python', code: 'x = 1', tests: 'assert x == 1' })).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
  });

  it(`${STRICT_ENV}=1 refuses too`, async () => {
    process.env[STRICT_ENV] = '1';
    try {
      await expect(requireIsolation(false)).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
    } finally {
      delete process.env[STRICT_ENV];
    }
  });

  it('the fallback warns once, still empties the environment and applies rlimits', async () => {
    process.env.OPENAI_API_KEY = 'sk-fallback-test';
    const writes: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    const sandbox = createSandbox({ slots: 1 });
    try {
      const env = await sandbox.run({ runtime: 'python', code: 'import os\nSEEN = dict(os.environ)', tests: 'assert "OPENAI_API_KEY" not in SEEN, SEEN' });
      const bomb = await sandbox.run({
        runtime: 'python',
        code: 'blocks = []\nwhile True:\n    blocks.append(bytearray(32 * 1024 * 1024))',
        tests: 'pass',
        limits: { memoryMb: 128, wallMs: 2_000 },
      });
      expect(env.isolation).toBe('fallback');
      expect(env.passed, env.stderr).toBe(true);
      expect(bomb.passed).toBe(false);
      expect(bomb.stderr).toContain('MemoryError');
    } finally {
      process.stderr.write = write;
      await sandbox.dispose();
    }
    const warnings = writes.filter((line) => line.includes('WARNING'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('bubblewrap');
  });
});
