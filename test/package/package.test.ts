import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { BuildInfo } from '../../src/package-info.ts';
import { RunManifest } from '../../src/schema/manifest.ts';
import { RunReport } from '../../src/schema/summary.ts';
import { repoRoot } from '../e2e/cli.ts';
import { type Installed, packAndInstall } from './installed.ts';

const execFileAsync = promisify(execFile);
const consumerFixtures = join(repoRoot, 'test', 'fixtures', 'package-consumer');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function runIn(cwd: string, command: string, args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** `npx starloop …` in the consumer project; `--no --`: never fetch a package, run the installed bin. */
const starloop = (installed: Installed, args: string[]) => runIn(installed.project, 'npx', ['--no', '--', 'starloop', ...args]);

describe('the packed tarball, installed into a fresh project', () => {
  let installed: Installed;

  beforeAll(async () => {
    installed = await packAndInstall(await mkdtemp(join(tmpdir(), 'starloop-package-')));
    await cp(consumerFixtures, installed.project, { recursive: true });
  }, 300_000);

  test('ships the built code and its runtime files, and no tests or TypeScript sources', () => {
    const files = installed.tarballFiles;
    for (const needed of [
      'bin/starloop.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/index.js.map',
      'dist/build-info.json',
      'dist/src/embedded/checkpoints/base.ckpt',
      'dist/src/embedded/sample-worker.js',
      // Every runner the sandbox starts, whatever their names today.
      ...readdirSync(join(repoRoot, 'src/sandbox/runners')).map((f) => `dist/src/sandbox/runners/${f}`),
      'problems/arith/train.jsonl',
      'problems/arith/eval.jsonl',
      'schema/config.schema.json',
      'docs/config.md',
      'examples/gsm-demo.yaml',
      'examples/trainers/trl_sft.py',
      'examples/trainers/axolotl-lora.yaml',
      'README.md',
    ]) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((f) => /(^|\/)test\/|\.test\.[cm]?[jt]s$|(^|\/)fixtures\//.test(f))).toEqual([]);
    // TypeScript sources other than declarations: only the example plug-ins, which users read and copy.
    expect(files.filter((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f) && !f.startsWith('examples/'))).toEqual([]);
  });

  test('npx starloop --help', async () => {
    const result = await starloop(installed, ['--help']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: starloop/);
  }, 120_000);

  test("a 1-round default run, recording the commit starloop was built from, not the user's repository's", async () => {
    const git = (...args: string[]) => runIn(installed.project, 'git', args);
    await git('init', '-q');
    await git('-c', 'user.name=user', '-c', 'user.email=user@example.com', 'commit', '-q', '--allow-empty', '-m', "the user's project");
    const userHead = (await git('rev-parse', 'HEAD')).stdout.trim();
    expect(userHead).toMatch(/^[0-9a-f]{40}$/);

    const result = await starloop(installed, ['run', '--rounds', '1', '--quiet', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = RunReport.parse(JSON.parse(result.stdout));
    expect(report.rounds).toHaveLength(2);
    expect(report.rounds[1].model).not.toBe(report.rounds[0].model);

    const manifest = RunManifest.parse(JSON.parse(await readFile(join(installed.project, 'runs', 'arith-star', 'manifest.json'), 'utf8')));
    const built = BuildInfo.parse(JSON.parse(await readFile(join(installed.project, 'node_modules', 'starloop', 'dist', 'build-info.json'), 'utf8')));
    expect(manifest.tool.gitHash).toBe(built.gitHash);
    expect(manifest.tool.gitHash).not.toBe(userHead);
  }, 300_000);

  test('the embedded model samples on worker threads started from the installed package', async () => {
    const result = await starloop(installed, ['sample', '--set', 'policy.workers=2', '--set', 'problems.limit=4', '--k', '2', '--out', 'samples.jsonl', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await readFile(join(installed.project, 'samples.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(4 * 2);
  }, 120_000);

  test('plain Node ESM imports starloop and runs the loop in-process', async () => {
    const result = await runIn(installed.project, process.execPath, ['library.mjs', join(installed.project, 'runs', 'library')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { rounds: { round: number; model: string; evalSamples: number; evalPassAt1: number }[]; trained: number[]; events: string[] };
    // The harness's own Policy object sampled both rounds and its Trainer object trained once, on the survivors.
    expect(output.rounds.map((r) => [r.round, r.model])).toEqual([[0, 'embedded'], [1, 'mine-ft-1']]);
    expect(output.rounds.every((r) => r.evalSamples === 8)).toBe(true);
    expect(output.trained).toHaveLength(1);
    expect(output.trained[0]).toBeGreaterThan(0);
    expect(output.rounds[1].evalPassAt1).toBe(1);
    expect(output.rounds[0].evalPassAt1).toBeLessThan(1);
    expect(output.events).toEqual(expect.arrayContaining(['round-start', 'stage-end']));
  }, 300_000);

  test('a strict TypeScript project type-checks against the declarations with 0 errors (skipLibCheck off)', async () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await runIn(installed.project, process.execPath, [tsc, '-p', 'tsconfig.json']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 300_000);

  test('a JavaScript plug-in in the project loads; a TypeScript one says tsx is needed, as tsx is not a dependency', async () => {
    const listed = await starloop(installed, ['verifiers', 'list', '--plugin', './plugin.mjs', '--json']);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string; builtin: boolean }[]).find((v) => v.id === 'yes-no')?.builtin).toBe(false);

    const example = 'node_modules/starloop/examples/verifiers/physical-quantity.ts';
    const typescript = await starloop(installed, ['verifiers', 'test', example]);
    expect(typescript.code).toBe(2);
    expect(typescript.stderr).toMatch(/^starloop: verifier plug-in .*physical-quantity\.ts is TypeScript, which needs tsx to load, and tsx is not installed: install it .* or compile the plug-in to JavaScript\n$/);
  }, 120_000);
});
