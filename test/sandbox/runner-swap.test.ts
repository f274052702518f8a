import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { HOSTILE_LIMITS, expectBubblewrap } from './hostile.ts';

/**
 * Another local user must not be able to change the runner scripts a sandbox starts: the
 * directory they are bound from is private (mkdtemp, ours, checked with lstat), not a shared
 * name in $TMPDIR. The attacker here runs as a second uid, plants symlinks at the predictable
 * name the runners once had (a genuine copy first, then flipping to a forged one), and tries to
 * write, rename or replace every starloop-runners-* entry it can see.
 */
const ATTACKER_UID = 60_500;
const RUNNERS = new URL('../../src/sandbox/runners/', import.meta.url);
const OLD_NAMED_FILES = ['harness.py', 'harness.mjs', 'worker.py'];
const work = mkdtempSync(path.join(tmpdir(), 'starloop-swap-test-'));
chmodSync(work, 0o755);
let attacker: ChildProcess | undefined;

afterAll(() => {
  attacker?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  const planted = predictableName();
  if (planted !== '-') rmSync(planted, { recursive: true, force: true });
});

/** Runners that report every test passed, whatever the program (the shapes the harnesses once had). */
const FORGED: Record<string, string> = {
  'harness.py': 'import os, sys\nos.write(3, b"started\\n")\nnonce = os.read(3, 256)\nos.write(3, nonce)\nos._exit(0)\n',
  'harness.mjs': "import fs from 'node:fs';\nfs.writeSync(3, 'started\\n');\nconst b = Buffer.alloc(256);\nfs.writeSync(3, b.subarray(0, fs.readSync(3, b)));\nprocess.exit(0);\n",
  'worker.py': [
    'import json, sys',
    'print(json.dumps({"ready": True}), flush=True)',
    'for line in sys.stdin:',
    '    task = json.loads(line)',
    '    print(json.dumps({"id": task["id"], "exitCode": 0, "signal": None, "timedOut": False, "outputExceeded": False, "stdout": "", "stderr": "", "echo": "started\\n" + task["nonce"] + "\\n", "durationMs": 1}), flush=True)',
  ].join('\n'),
  'judge.py': 'import sys\nprint(\'{"ready": true}\', flush=True)\nfor line in sys.stdin:\n    pass\n',
};

const ATTACK = `
import os, sys, time
tmp, genuine, forged, predictable = sys.argv[1:5]
steady_until = time.monotonic() + float(sys.argv[5])
mine = set()
def report(what):
    print(what, flush=True)
def attempt(what, action):
    try:
        action()
        report("SUCCEEDED " + what)
    except OSError:
        pass
def plant(target):
    link = os.path.join(tmp, "swap-%d" % os.getpid())
    try:
        os.unlink(link)
    except OSError:
        pass
    os.symlink(target, link)
    os.rename(link, predictable)
    mine.add(predictable)
flip = 0
while True:
    # First a genuine copy, long enough to pass a check; then the forged one, every other moment.
    flip = 1 if time.monotonic() < steady_until else flip ^ 1
    if predictable != "-":
        try:
            plant(genuine if flip else forged)
        except OSError:
            pass
    for name in os.listdir(tmp):
        path = os.path.join(tmp, name)
        if not name.startswith("starloop-runners") or path in mine:
            continue
        try:
            if os.lstat(path).st_uid == os.getuid():
                continue
        except OSError:
            continue
        attempt("write into " + name, lambda: open(os.path.join(path, "judge.py"), "w").close())
        attempt("rename " + name, lambda: os.rename(path, path + ".moved"))
        attempt("replace " + name, lambda: os.rename(forged, path))
    time.sleep(0.001)
`;

/** The name the runners were published under before: a hash of their content, in $TMPDIR. */
function predictableName(): string {
  const present = OLD_NAMED_FILES.filter((name) => existsSync(new URL(name, RUNNERS)));
  if (present.length !== OLD_NAMED_FILES.length) return '-';
  const hash = createHash('sha256');
  for (const name of OLD_NAMED_FILES) hash.update(name).update(readFileSync(new URL(name, RUNNERS)));
  return path.join(tmpdir(), `starloop-runners-${hash.digest('hex').slice(0, 16)}`);
}

function startAttacker(): { output: () => string } {
  // A genuine, root-owned copy, and the attacker's forged one.
  const genuine = path.join(work, 'genuine');
  mkdirSync(genuine, { mode: 0o755 });
  for (const name of OLD_NAMED_FILES) if (existsSync(new URL(name, RUNNERS))) writeFileSync(path.join(genuine, name), readFileSync(new URL(name, RUNNERS)), { mode: 0o644 });
  const forged = path.join(work, 'forged');
  mkdirSync(forged, { mode: 0o755 });
  for (const [name, content] of Object.entries(FORGED)) writeFileSync(path.join(forged, name), content, { mode: 0o644 });
  const script = path.join(work, 'attack.py');
  writeFileSync(script, ATTACK, { mode: 0o644 });
  execFileSync('chown', ['-R', `${ATTACKER_UID}:${ATTACKER_UID}`, forged]);
  let output = '';
  attacker = spawn('/usr/bin/setpriv', [`--reuid=${ATTACKER_UID}`, `--regid=${ATTACKER_UID}`, '--clear-groups', '/usr/bin/python3', script, tmpdir(), genuine, forged, predictableName(), '1.0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  attacker.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { output: () => output };
}

describe('the runner scripts under attack from another local user', () => {
  it('are bound from a private directory the attacker can neither predict nor change', async () => {
    await expectBubblewrap();
    expect(process.getuid?.(), 'this test needs root, to run the attacker as a second uid').toBe(0);
    const { output } = startAttacker();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sandbox = createSandbox({ mode: 'one-shot', slots: 2, strict: true });
    try {
      const wrong = { runtime: 'python' as const, code: 'def add(a, b):\n    return 0\n', tests: 'assert add(2, 3) == 5', limits: HOSTILE_LIMITS };
      const outcomes = await Promise.all(Array.from({ length: 12 }, () => sandbox.run(wrong)));
      expect(outcomes.filter((outcome) => outcome.passed)).toHaveLength(0);
      const honest = await sandbox.run({ ...wrong, code: 'def add(a, b):\n    return a + b\n' });
      expect(honest.passed, honest.sandboxFailure ?? honest.testFailure).toBe(true);
    } finally {
      await sandbox.dispose();
    }
    expect(output()).not.toContain('SUCCEEDED');
    const planted = predictableName();
    if (planted !== '-' && existsSync(planted)) expect(lstatSync(planted).isSymbolicLink()).toBe(true);
  }, 120_000);
});
