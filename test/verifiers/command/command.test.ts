import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../verifiers/command/index.ts';
import { judge } from '../../verify/judge.ts';

const program = resolve(import.meta.dirname, '../../fixtures/verifiers/judge-program.mjs');
const run = (mode: string, extra: Record<string, unknown> = {}, candidate = 'it is 42') =>
  judge(command, '42', candidate, { command: [process.execPath, program, mode], ...extra });

/** Running, as opposed to gone or a zombie waiting for init to reap it (Linux /proc). */
function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('command verifier', () => {
  const saved = process.env.OPENAI_API_KEY;
  beforeAll(() => {
    process.env.OPENAI_API_KEY = 'sk-test-must-not-leak';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.OPENAI_API_KEY;
    else process.env.OPENAI_API_KEY = saved;
  });

  it('passes problem and candidate on stdin and reads the verdict from stdout', async () => {
    expect(await run('grade')).toMatchObject({ status: 'correct', score: 1, reason: 'looked for 42' });
    expect((await run('grade', {}, 'it is 41')).status).toBe('incorrect');
  });

  it('runs a shell string through /bin/sh', async () => {
    const verdict = await judge(command, '42', 'x', { command: `"${process.execPath}" "${program}" grade | cat` });
    expect(verdict.status).toBe('incorrect');
  });

  it('gives the program only PATH, HOME, LANG and the env option, never the API key', async () => {
    const verdict = await run('grade', { env: { UNITS: 'si' } });
    const keys = verdict.extracted?.split(',') ?? [];
    expect(keys).not.toContain('OPENAI_API_KEY');
    expect(keys).toEqual(expect.arrayContaining(['PATH', 'LANG', 'UNITS']));
    expect(keys.every((key) => ['PATH', 'HOME', 'LANG', 'UNITS'].includes(key))).toBe(true);
  });

  it('reads the verdict from the last line when the program logs first', async () => {
    expect((await run('logs')).status).toBe('correct');
  });

  // The limit leaves the fixture time to start its grandchild even on a loaded machine.
  it('turns a time-out into an error and kills the whole process group', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'starloop-cmd-')), 'grandchild.pid');
    const verdict = await run('hang', { command: [process.execPath, program, 'hang', pidFile], timeoutMs: 4000 });
    expect(verdict).toMatchObject({ status: 'error', score: 0 });
    expect(verdict.reason).toMatch(/timed out after 4000 ms/);
    expect(existsSync(pidFile)).toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(isRunning(grandchild)).toBe(false);
  });

  it('takes the verdict of a program that exits leaving a process on its stdout, without waiting', async () => {
    const started = performance.now();
    const verdict = await run('linger', { timeoutMs: 20_000 });
    expect(verdict.status).toBe('correct');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('turns output that is not JSON into an error that says so', async () => {
    const verdict = await run('garbage');
    expect(verdict.status).toBe('error');
    expect(verdict.reason).toMatch(/not JSON: the candidate looks fine/);
  });

  it('turns JSON that is not a verdict into an error naming the bad field', async () => {
    const verdict = await run('invalid');
    expect(verdict.status).toBe('error');
    expect(verdict.reason).toMatch(/invalid verdict: status/);
  });

  it('turns a non-zero exit into an error with the exit code and stderr', async () => {
    const verdict = await run('fail');
    expect(verdict.status).toBe('error');
    expect(verdict.reason).toMatch(/exited with code 3; stderr: cannot parse the molecule/);
  });

  it('turns a missing program into an error', async () => {
    const verdict = await judge(command, '42', 'x', { command: ['/nonexistent/judge'] });
    expect(verdict.status).toBe('error');
    expect(verdict.reason).toMatch(/could not start/);
  });
});
