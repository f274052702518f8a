import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runPython } from './hostile.ts';

/** Host processes whose command line carries the marker (the daemon execs `sleep <marker>`). */
function hostProcessesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) found.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

describe.each(MODES)('a daemonized grandchild (%s)', (mode) => {
  it('does not outlive its task', async () => {
    await expectBubblewrap();
    const marker = `${1000 + Math.floor(Math.random() * 1000)}.${Date.now() % 100000}`;
    const code = [
      'import os, time',
      'if os.fork() == 0:',
      '    os.setsid()',
      '    if os.fork() == 0:',
      '        for fd in range(0, 64):',
      '            try: os.close(fd)',
      '            except OSError: pass',
      `        os.execv("/usr/bin/sleep", ["sleep", "${marker}"])`,
      '    os._exit(0)',
      'time.sleep(0.3)',
    ].join('\n');
    const outcome = await runPython(mode, code, 'pass');
    expect(outcome.passed, outcome.stderr).toBe(true);
    await sleep(200);
    expect(hostProcessesWith(marker)).toEqual([]);
    await expectNextTaskUnaffected(mode);
  });
});
