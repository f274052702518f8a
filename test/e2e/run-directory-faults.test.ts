import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { Sample } from '../../src/schema/sample.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;

beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
});
afterAll(() => server.close());

/** One clear line on stderr, the run-directory exit status, and no stack trace. */
function expectRunDirError(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.stderr).toMatch(pattern);
  expect(result.code).toBe(3);
  expect(result.stderr).not.toMatch(/unexpected error|\n\s+at /);
}

async function smallRun(overrides: Record<string, unknown> = {}) {
  const dir = await tempDir();
  const config = await writeConfig(dir, demoConfig(server.url, { rounds: 0, train: { type: 'none' }, rationalize: { enabled: false }, ...overrides }));
  return { dir, config, runDir: join(dir, 'run') };
}

test('--resume of a directory that holds no run is refused, and nothing is created or requested', async () => {
  const { config, runDir } = await smallRun();
  const before = server.requests.length;
  expectRunDirError(await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']), /nothing to resume: .* holds no run/);
  expect(existsSync(runDir)).toBe(false);
  expect(server.requests.length).toBe(before);
});

test('--out that is a file, or a non-empty directory that holds no run, is refused and left as it was', async () => {
  const { dir, config } = await smallRun();
  const file = join(dir, 'notes.txt');
  await writeFile(file, 'mine');
  expectRunDirError(await runCli(['run', '-c', config, '--out', file, '--quiet']), /is a file, not a directory/);
  const other = join(dir, 'thesis');
  await mkdir(other);
  await writeFile(join(other, 'chapter1.tex'), 'mine');
  expectRunDirError(await runCli(['run', '-c', config, '--out', other, '--quiet']), /is not empty and holds no run \(chapter1\.tex\)/);
  expect(await readdir(other)).toEqual(['chapter1.tex']);
});

test('a run whose manifest.json was deleted is refused, with or without --resume', async () => {
  const { config, runDir } = await smallRun();
  expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'])).code).toBe(0);
  await rm(join(runDir, 'manifest.json'));
  for (const resume of [['--resume'], []]) {
    expectRunDirError(await runCli(['run', '-c', config, '--out', runDir, ...resume, '--quiet']), /holds round data but no manifest\.json/);
  }
});

test('a run file replaced by a directory gives one line naming it and the run-directory exit status', async () => {
  const { config, runDir } = await smallRun();
  expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'])).code).toBe(0);
  const verdicts = join(runDir, 'round-0', 'eval-verdicts.jsonl');
  await rm(verdicts);
  await mkdir(verdicts);
  expectRunDirError(await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']), /cannot (read|write) .*eval-verdicts\.jsonl: it is a directory/);
});

describe.skipIf(process.getuid?.() !== 0)('file systems that fail (needs root to mount a tmpfs)', () => {
  test('a full disk stops the run with one line and exit 3; after making room, --resume finishes and keeps every sample', async () => {
    const dir = await tempDir();
    const mount = join(dir, 'small');
    await mkdir(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', mount]);
    try {
      const config = await writeConfig(dir, demoConfig(server.url, { rounds: 0, train: { type: 'none' }, rationalize: { enabled: false } }));
      const runDir = join(mount, 'run');
      expectRunDirError(await runCli(['run', '-c', config, '--out', runDir, '--quiet']), /the disk is full \(ENOSPC\)/);
      const kept = async () => [
        ...(await readJsonl(join(runDir, 'round-0', 'eval.jsonl'), Sample, { tolerateTornTail: true })),
        ...(await readJsonl(join(runDir, 'round-0', 'samples.jsonl'), Sample, { tolerateTornTail: true })),
      ];
      const before = await kept();
      expect(before.length).toBeGreaterThan(0);
      execFileSync('mount', ['-o', 'remount,size=8m', mount]);
      const resumed = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      const after = new Map((await kept()).map((s) => [s.id, s]));
      for (const sample of before) expect(after.get(sample.id)).toEqual(sample);
    } finally {
      execFileSync('umount', ['-l', mount]);
    }
  });

  test('a read-only run directory is one line and exit 3', async () => {
    const dir = await tempDir();
    const mount = join(dir, 'ro');
    await mkdir(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount]);
    try {
      const config = await writeConfig(dir, demoConfig(server.url, { rounds: 0, train: { type: 'none' }, rationalize: { enabled: false } }));
      const runDir = join(mount, 'run');
      expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'])).code).toBe(0);
      execFileSync('mount', ['-o', 'remount,ro', mount]);
      expectRunDirError(await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']), /the file system is read-only \(EROFS\)/);
    } finally {
      execFileSync('umount', ['-l', mount]);
    }
  });
});
