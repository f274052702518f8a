import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODES, expectBubblewrap, expectNextTaskUnaffected, runPython } from './hostile.ts';

const SECRET = `host-secret-${process.pid}-${Date.now()}`;
const tmpSecret = path.join(mkdtempSync(path.join(tmpdir(), 'starloop-secret-')), 'secret.txt');
const rootSecret = path.join('/root', `.starloop-secret-${process.pid}`);
writeFileSync(tmpSecret, SECRET);
writeFileSync(rootSecret, SECRET);
afterAll(() => {
  rmSync(path.dirname(tmpSecret), { recursive: true, force: true });
  rmSync(rootSecret, { force: true });
});

describe.each(MODES)('host files beyond system paths (%s)', (mode) => {
  it('are invisible: /tmp, /root, /etc/passwd and the project', async () => {
    await expectBubblewrap();
    const paths = [tmpSecret, rootSecret, '/etc/passwd', '/etc/shadow', path.join(process.cwd(), 'package.json')];
    const code = [
      'import os',
      `paths = ${JSON.stringify(paths)}`,
      'LEAKED = []',
      'for p in paths:',
      '    try:',
      '        LEAKED.append((p, open(p).read()[:80]))',
      '    except OSError:',
      '        pass',
      `for root, dirs, files in os.walk("/"):`,
      '    if root.startswith(("/proc", "/sys", "/usr", "/dev")):',
      '        dirs[:] = []',
      '        continue',
      '    for name in files:',
      `        if "starloop-secret" in name or name == "package.json":`,
      '            LEAKED.append((os.path.join(root, name), "listed"))',
    ].join('\n');
    const outcome = await runPython(mode, code, 'assert LEAKED == [], LEAKED');
    expect(outcome.stdout + outcome.stderr).not.toContain(SECRET);
    expect(outcome.passed, outcome.stderr).toBe(true);
    await expectNextTaskUnaffected(mode);
  });
});
