import { chmodSync, cpSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { intact, publishRunners } from '../../src/sandbox/runner-files.ts';

const SOURCE = fileURLToPath(new URL('../../src/sandbox/runners/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'starloop-runner-files-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('where the sandbox binds its runner scripts from', () => {
  it('is the installed package itself when nobody else can change it and the sandbox uid can read it', () => {
    const chosen = publishRunners(SOURCE);
    expect(chosen.dir).toBe(path.resolve(SOURCE));
    expect(chosen.files.map((file) => file.name)).toContain('judge.py');
  });

  it('is a private mkdtemp copy when the package sits where the sandbox uid cannot read (under a 0700 directory)', () => {
    const hidden = path.join(scratch, 'private');
    cpSync(SOURCE, path.join(hidden, 'runners'), { recursive: true });
    chmodSync(hidden, 0o700);
    const chosen = publishRunners(path.join(hidden, 'runners'));
    try {
      expect(chosen.dir.startsWith(path.join(tmpdir(), 'starloop-runners-'))).toBe(true);
      expect(lstatSync(chosen.dir).mode & 0o777).toBe(0o755);
      expect(lstatSync(path.join(chosen.dir, 'judge.py')).mode & 0o777).toBe(0o644);
      expect(intact(chosen)).toBe(true);
      // A copy that changed (here: made writable by others) is refused, never used.
      chmodSync(chosen.dir, 0o777);
      expect(intact(chosen)).toBe(false);
      chmodSync(chosen.dir, 0o755);
      writeFileSync(path.join(chosen.dir, 'judge.py'), 'print("forged")\n');
      expect(intact(chosen)).toBe(false);
    } finally {
      rmSync(chosen.dir, { recursive: true, force: true });
    }
  });
});
