import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runPython } from './hostile.ts';

const hostDir = mkdtempSync(path.join(tmpdir(), 'starloop-write-target-'));
afterAll(() => rmSync(hostDir, { recursive: true, force: true }));

describe.each(MODES)('writing outside the work dir (%s)', (mode) => {
  it('never reaches the host file system', async () => {
    await expectBubblewrap();
    const targets = [path.join(hostDir, `pwned-${mode}`), `/usr/pwned-${mode}`, path.join(process.cwd(), `pwned-${mode}`), `/root/pwned-${mode}`];
    const code = [
      'import os',
      `targets = ${JSON.stringify(targets)}`,
      'written = []',
      'for target in targets:',
      '    try:',
      '        os.makedirs(os.path.dirname(target), exist_ok=True)',
      '        with open(target, "w") as handle:',
      '            handle.write("pwned")',
      '        written.append(target)',
      '    except OSError:',
      '        pass',
      'with open("scratch.txt", "w") as handle:',
      '    handle.write("the work dir is writable")',
    ].join('\n');
    const outcome = await runPython(mode, code, 'assert open("scratch.txt").read() == "the work dir is writable"');
    expect(outcome.passed, outcome.stderr).toBe(true);
    for (const target of targets) expect(existsSync(target), target).toBe(false);
    await expectNextTaskUnaffected(mode);
  });
});
