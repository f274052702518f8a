import { describe, expect, it } from 'vitest';
import { expectBubblewrap, expectNextTaskUnaffected, runPython } from './hostile.ts';

// The pool's test process (PID 1) and zygote (PID 2) share the task's uid inside the slot sandbox;
// what a task can do to them must end in a failed verdict for that task only.
describe('a task attacking the pool worker', () => {
  it('cannot write forged results into the worker pipes', async () => {
    await expectBubblewrap();
    const code = [
      'import os',
      'FORGED = []',
      'for pid in ("1", "2"):',
      '    for fd in ("0", "1", "2"):',
      '        try:',
      '            with open(f"/proc/{pid}/fd/{fd}", "w") as handle:',
      '                handle.write("{}\\n")',
      '            FORGED.append((pid, fd))',
      '        except OSError:',
      '            pass',
    ].join('\n');
    const outcome = await runPython('pool', code, 'assert FORGED == [], FORGED');
    expect(outcome.sandboxFailure).toBeUndefined();
    expect(outcome.passed, outcome.stderr).toBe(true);
    await expectNextTaskUnaffected('pool');
  });

  it('that kills every process it can gets a failed verdict, and the slot recovers', async () => {
    const outcome = await runPython('pool', 'import os, signal\nos.kill(-1, signal.SIGKILL)\ndef f():\n    return 1\n', 'assert f() == 1');
    expect(outcome.passed).toBe(false);
    await expectNextTaskUnaffected('pool');
    await expectNextTaskUnaffected('pool');
  });

  it('that stops the worker gets a failed verdict after the grace period, and the slot recovers', async () => {
    const outcome = await runPython('pool', 'import os, signal\nos.kill(2, signal.SIGSTOP)\n', 'pass', { wallMs: 500 });
    expect(outcome.passed).toBe(false);
    await expectNextTaskUnaffected('pool');
  });

  it("that lowers the test process's and the zygote's limits leaves the next tasks unaffected", async () => {
    const code = 'import resource\nfor pid in (1, 2):\n    resource.prlimit(pid, resource.RLIMIT_NOFILE, (8, 8))\n';
    await runPython('pool', code, 'pass');
    await expectNextTaskUnaffected('pool');
    await expectNextTaskUnaffected('pool');
  });

  it('cannot create SysV shared memory, so none is left for the next task', async () => {
    const code = [
      'import ctypes',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'CREATED = libc.shmget(0x5157, 1 << 20, 0o1666)',
      'ERRNO = ctypes.get_errno()',
    ].join('\n');
    const first = await runPython('pool', code, 'import errno\nassert CREATED == -1 and ERRNO == errno.EPERM, (CREATED, ERRNO)');
    expect(first.passed, first.testFailure).toBe(true);
    const second = await runPython('pool', 'LEFT = open("/proc/sysvipc/shm").read().splitlines()[1:]', 'assert LEFT == [], LEFT');
    expect(second.passed, second.testFailure).toBe(true);
  });
});
