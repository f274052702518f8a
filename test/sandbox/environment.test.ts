import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runNode, runPython } from './hostile.ts';

const FAKE_KEY = `sk-starloop-test-${process.pid}-${Date.now()}`;
process.env.OPENAI_API_KEY = FAKE_KEY;

describe.each(MODES)("the parent's environment (%s)", (mode) => {
  it('is invisible through os.environ and every /proc/*/environ', async () => {
    await expectBubblewrap();
    expect(process.env.OPENAI_API_KEY).toBe(FAKE_KEY);
    const code = [
      'import os',
      'SEEN = repr(dict(os.environ))',
      'for pid in os.listdir("/proc"):',
      '    if pid.isdigit() or pid == "self":',
      '        try:',
      '            SEEN += open(f"/proc/{pid}/environ", "rb").read().decode(errors="replace")',
      '        except OSError:',
      '            pass',
      'print(SEEN)',
    ].join('\n');
    const outcome = await runPython(mode, code, 'assert "OPENAI_API_KEY" not in SEEN and "sk-starloop" not in SEEN');
    expect(outcome.stdout).not.toContain(FAKE_KEY);
    expect(outcome.passed, outcome.stderr).toBe(true);
    await expectNextTaskUnaffected(mode);
  });

  it('is invisible to JavaScript', async () => {
    const outcome = await runNode(mode, 'const seen = JSON.stringify(process.env); console.log(seen);', 'assert.ok(!seen.includes("OPENAI_API_KEY"))');
    expect(outcome.stdout).not.toContain(FAKE_KEY);
    expect(outcome.passed, outcome.stderr).toBe(true);
  });
});
