import { expect, test } from 'vitest';
import { z } from 'zod';
import { defineVerifier } from '../../src/verify/define.ts';
import { runVerifier } from '../../src/verify/run.ts';
import type { Problem } from '../../src/schema/problem.ts';

const problem: Problem = { id: 'p', prompt: 'q', answer: '1', meta: {} };

test('a verifier that throws gives an error verdict, never a pass', async () => {
  const crashing = defineVerifier({ id: 'crash', description: '', version: '1', options: z.object({}), verify: () => { throw new Error('boom'); } });
  const verdict = await runVerifier(crashing, problem, 'x', {});
  expect(verdict).toMatchObject({ status: 'error', score: 0 });
  expect(verdict.reason).toMatch(/boom/);
});

test('a verifier that never answers times out as an error', async () => {
  const hanging = defineVerifier({ id: 'hang', description: '', version: '1', options: z.object({}), verify: () => new Promise<never>(() => {}) });
  const verdict = await runVerifier(hanging, problem, 'x', {}, 50);
  expect(verdict).toMatchObject({ status: 'error', score: 0 });
  expect(verdict.reason).toMatch(/timed out after 50 ms/);
});

test('unparseable and error verdicts never carry credit, whatever score the verifier claims', async () => {
  const generous = defineVerifier({ id: 'generous', description: '', version: '1', options: z.object({}), verify: () => ({ status: 'unparseable' as const, score: 1, reason: 'no answer' }) });
  expect((await runVerifier(generous, problem, 'x', {})).score).toBe(0);
});

test('a verdict with an unknown status is an error verdict, never stored as given', async () => {
  const sloppy = defineVerifier({ id: 'sloppy', description: '', version: '1', options: z.object({}), verify: () => ({ status: 'pass', reason: 'ok' }) as never });
  const verdict = await runVerifier(sloppy, problem, 'x', {});
  expect(verdict).toMatchObject({ status: 'error', score: 0 });
});

test('a 20 MB reason is cut and an over-long extracted answer is dropped, not stored as given', async () => {
  const verbose = defineVerifier({
    id: 'verbose', description: '', version: '1', options: z.object({}),
    verify: () => ({ status: 'incorrect' as const, reason: 'r'.repeat(20_000_000), extracted: 'e'.repeat(50_000) }),
  });
  const verdict = await runVerifier(verbose, problem, 'x', {});
  expect(verdict.status).toBe('incorrect');
  expect(verdict.reason.length).toBeLessThan(5_000);
  expect(verdict.reason).toMatch(/19996000 more characters cut\] \[extracted answer of 50000 characters not kept\]$/);
  expect(verdict.extracted).toBeUndefined();
});
