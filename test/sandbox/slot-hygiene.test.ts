import { afterAll, describe, expect, it } from 'vitest';
import { type SandboxJob, type SandboxMode, createSandbox } from '../../src/sandbox/index.ts';
import { HOSTILE_LIMITS, MODES, expectBubblewrap } from './hostile.ts';

/**
 * What one task leaves behind must be gone before the next task of its slot starts: nothing it
 * wrote, chmod-ed or queued may reach, or break, the next program.
 */
const sandboxes = new Map<SandboxMode, ReturnType<typeof createSandbox>>();
/** One slot: the second task runs where the first one ran. */
function oneSlot(mode: SandboxMode) {
  let sandbox = sandboxes.get(mode);
  if (!sandbox) sandboxes.set(mode, (sandbox = createSandbox({ mode, slots: 1, strict: true })));
  return sandbox;
}
afterAll(() => Promise.all([...sandboxes.values()].map((sandbox) => sandbox.dispose())));

function run(mode: SandboxMode, code: string, tests = 'pass', limits = {}) {
  const job: SandboxJob = { runtime: 'python', code, tests, limits: { ...HOSTILE_LIMITS, ...limits } };
  return oneSlot(mode).run(job);
}

/** An honest program that needs scratch space: a 12 MiB temporary file, written and read back. */
const TEMPFILE_PROGRAM = [
  'import tempfile',
  'def roundtrip():',
  '    with tempfile.TemporaryFile() as handle:',
  "        handle.write(b'x' * (12 << 20))",
  '        handle.seek(0)',
  '        return len(handle.read())',
].join('\n');

describe.each(MODES)('the next task of a slot (%s)', (mode) => {
  it('finds nothing left in directories made unreadable (mode 0 and 0500)', async () => {
    await expectBubblewrap();
    const leave = [
      'import os',
      "for root, mode in (('/tmp', 0o500), ('/dev/shm', 0), ('.', 0)):",
      "    path = os.path.join(root, 'kept')",
      '    os.makedirs(os.path.join(path, "deep"))',
      "    open(os.path.join(path, 'deep', 'note'), 'w').write('from the last task')",
      '    os.chmod(os.path.join(path, "deep"), 0)',
      '    os.chmod(path, mode)',
    ].join('\n');
    expect((await run(mode, leave)).passed).toBe(true);
    const look = [
      'import os',
      'FOUND = []',
      "for path in ('/tmp/kept', '/dev/shm/kept', '/tmp/task/kept', 'kept'):",
      '    try:',
      '        os.chmod(path, 0o700)',
      "        os.chmod(os.path.join(path, 'deep'), 0o700)",
      "        FOUND.append(open(os.path.join(path, 'deep', 'note')).read())",
      '    except OSError:',
      '        pass',
    ].join('\n');
    const outcome = await run(mode, look, 'assert FOUND == [], FOUND');
    expect(outcome.passed, outcome.testFailure ?? outcome.sandboxFailure).toBe(true);
  });

  it('has its full scratch space, even after a task filled it behind a mode-0 directory', async () => {
    // 56 of the 64 MiB scratch space, in files under the 16 MiB file size limit.
    const fill = [
      'import os',
      "os.makedirs('/tmp/full')",
      'for index in range(4):',
      "    with open(f'/tmp/full/ballast{index}', 'wb') as handle:",
      "        handle.write(b'\\0' * (14 << 20))",
      "os.chmod('/tmp/full', 0)",
    ].join('\n');
    const filled = await run(mode, fill, 'pass', { wallMs: 10_000 });
    expect(filled.passed, filled.testFailure).toBe(true);
    const outcome = await run(mode, TEMPFILE_PROGRAM, 'assert roundtrip() == 12 << 20', { wallMs: 10_000 });
    expect(outcome.passed, outcome.testFailure ?? outcome.sandboxFailure).toBe(true);
  });

  it('starts normally after a task chmod-ed its work dir and /tmp', async () => {
    const chmodded = await run(mode, "import os\nos.chmod('.', 0)\nos.chmod('/tmp', 0o500)\nos.chmod('/dev/shm', 0)");
    expect(chmodded.sandboxFailure).toBeUndefined();
    const outcome = await run(mode, TEMPFILE_PROGRAM, 'assert roundtrip() == 12 << 20', { wallMs: 10_000 });
    expect(outcome.sandboxFailure).toBeUndefined();
    expect(outcome.passed, outcome.testFailure).toBe(true);
  });

  it('receives nothing through POSIX message queues', async () => {
    const send = [
      'import ctypes, os',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'queue = libc.mq_open(b"/carry", os.O_CREAT | os.O_RDWR, 0o600, None)',
      'if queue >= 0:',
      '    libc.mq_send(queue, b"from the last task", 18, 0)',
    ].join('\n');
    await run(mode, send);
    const receive = [
      'import ctypes, os',
      'libc = ctypes.CDLL(None, use_errno=True)',
      'queue = libc.mq_open(b"/carry", os.O_RDONLY | os.O_NONBLOCK, 0, None)',
      'buffer = ctypes.create_string_buffer(8192)',
      'RECEIVED = libc.mq_receive(queue, buffer, 8192, None) if queue >= 0 else -1',
    ].join('\n');
    const outcome = await run(mode, receive, 'assert RECEIVED == -1, RECEIVED');
    expect(outcome.passed, outcome.testFailure).toBe(true);
  });

  it('receives nothing through the kernel keyring', async () => {
    const KEY_SPEC_USER_KEYRING = -4;
    const add = `import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.syscall(248, b"user", b"carry", b"from the last task", 18, ${KEY_SPEC_USER_KEYRING})`;
    await run(mode, add);
    const find = 'import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nFOUND = libc.syscall(249, b"user", b"carry", None, 0)';
    const outcome = await run(mode, find, 'assert FOUND == -1, FOUND');
    expect(outcome.passed, outcome.testFailure).toBe(true);
  });
});
