import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifierError } from '../../src/errors.ts';
import type { Problem } from '../../src/schema/problem.ts';
import type { AnyVerifier } from '../../src/verify/define.ts';
import { checkVerifierContract } from '../../src/verify/contract.ts';
import { loadVerifierPlugin } from '../../src/verify/plugin.ts';
import { parseVerifierOptions, runVerifier } from '../../src/verify/run.ts';
import { runCli, tempDir } from '../e2e/cli.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/verifiers');
const problem: Problem = { id: 'p', prompt: 'q', answer: '6', meta: {} };

describe('a plug-in verifier runs off the main thread, bounded', () => {
  let verifier: AnyVerifier;
  beforeAll(async () => {
    verifier = await loadVerifierPlugin('plugin-hostile.ts', fixtures);
  });
  afterAll(() => verifier.dispose?.());

  const judge = (candidate: string, options: Record<string, unknown> = {}) =>
    runVerifier(verifier, problem, candidate, parseVerifierOptions(verifier, options));

  it('a synchronous hang is an error verdict at the time limit, and the next call gets a fresh worker', async () => {
    const started = performance.now();
    const verdict = await judge('hang');
    expect(verdict).toMatchObject({ status: 'error', score: 0 });
    expect(verdict.reason).toMatch(/timed out after 500 ms/);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await judge('6')).toMatchObject({ status: 'correct', extracted: '6' });
  });

  it('process.exit(0) in a plug-in ends its worker, not starloop: an error verdict', async () => {
    const verdict = await judge('exit');
    expect(verdict).toMatchObject({ status: 'error', score: 0 });
    expect(verdict.reason).toMatch(/ended its worker thread \(exit code 0/);
    expect(await judge('3', { scale: 2 })).toMatchObject({ status: 'correct' });
  });

  it('an exception thrown outside verify() ends the worker, never the process', async () => {
    const verdict = await judge('throw-later');
    expect(verdict.status).toBe('error');
    expect(verdict.reason).toMatch(/thrown outside verify|timed out/);
    expect(await judge('6')).toMatchObject({ status: 'correct' });
  });

  it("a 50 MB reason is cut in the worker, before it crosses to starloop's thread", async () => {
    // Building the reason takes the plug-in itself most of a second: a time limit to match.
    const verdict = await runVerifier(verifier, problem, 'huge', parseVerifierOptions(verifier, {}), 20_000);
    expect(verdict.status, verdict.reason.slice(0, 200)).toBe('incorrect');
    expect(verdict.reason.length).toBeLessThan(5_000);
  });

  it("options are checked by the plug-in's own schema before any call, and verify() gets the schema's output", async () => {
    expect(() => parseVerifierOptions(verifier, { scale: 'two' })).toThrow(VerifierError);
    expect(() => parseVerifierOptions(verifier, { scale: 'two' })).toThrow(/invalid options for verifier 'hostile':\nscale: /);
    // `scale` becomes a class instance in the worker; verify() calls its method.
    expect(await judge('2', { scale: 3 })).toMatchObject({ status: 'correct', reason: 'scaled to 6' });
  });

  it('the contract check still runs against a plug-in and reports its hang as a time-out', async () => {
    const checks = await checkVerifierContract(verifier, [{ name: 'hangs', problem, candidate: 'hang' }], { timeoutMs: 300 });
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['time-bounded'].ok).toBe(false);
    expect(byName['time-bounded'].detail).toMatch(/hangs/);
    expect(byName['garbage-never-passes'].ok).toBe(true);
  }, 60_000);
});

it('starloop verify with a plug-in that hangs or exits prints an error verdict for those samples and the rest as judged', async () => {
  const dir = await tempDir();
  const problems = join(dir, 'problems.jsonl');
  const samples = join(dir, 'samples.jsonl');
  await writeFile(problems, '{"id":"p1","prompt":"2*3?","answer":"6"}\n');
  await writeFile(samples, ['exit', '6', 'hang', '7'].map((text) => JSON.stringify({ problemId: 'p1', text })).join('\n') + '\n');
  const result = await runCli(['verify', '-p', problems, '-s', samples, '--plugin', join(fixtures, 'plugin-hostile.ts'), '--verifier', 'hostile', '--concurrency', '1']);
  expect(result.code).toBe(0);
  const verdicts = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { status: string; reason: string });
  expect(verdicts.map((v) => v.status)).toEqual(['error', 'correct', 'error', 'incorrect']);
  expect(verdicts[0].reason).toMatch(/exit code 0/);
  expect(verdicts[2].reason).toMatch(/timed out/);
}, 60_000);

it('a command that loads a plug-in and never calls dispose still exits (an idle worker holds nothing open)', async () => {
  const result = await runCli(['verifiers', 'list', '--plugin', join(fixtures, 'plugin-hostile.ts')]);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^hostile +misbehaves on request {2}\(plug-in\)$/m);
}, 60_000);
