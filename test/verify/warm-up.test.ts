import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { VerifierRegistry } from '../../src/verify/registry.ts';
import { VerifierResolver } from '../../src/verify/resolver.ts';
import { defineVerifier } from '../../src/verify/define.ts';
import { z } from 'zod';
import { repoRoot } from '../e2e/cli.ts';
import { loadVerifierPlugin } from '../../src/verify/plugin.ts';
import { judge } from './judge.ts';

/**
 * One math verdict in a fresh Node process (the built verifier, so nothing is loaded yet), with a
 * 250 ms limit: mathjs alone takes about two CPU-seconds to load, a warm judgement milliseconds.
 */
function firstVerdict(warm: boolean): Promise<{ status: string; reason: string }> {
  const script = `
    const root = ${JSON.stringify(repoRoot)};
    const { math } = await import(root + 'dist/verifiers/math/index.js');
    const { MathOptions } = await import(root + 'dist/verifiers/math/options.js');
    const { runVerifier } = await import(root + 'dist/src/verify/run.js');
    if (${warm}) await math.warmUp();
    const verdict = await runVerifier(math, { id: 'p', prompt: 'Half?', answer: '1/2', meta: {} }, 'So it is \\\\boxed{0.5}.', MathOptions.parse({}), 250);
    process.stdout.write(JSON.stringify(verdict));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { status: string; reason: string }) : reject(new Error(`exit ${code}`))));
  });
}

test('math: after warmUp, the first verdict of a cold process is decided inside a short time limit', async () => {
  const verdict = await firstVerdict(true);
  expect(verdict, verdict.reason).toMatchObject({ status: 'correct' });
}, 120_000);

test('math without warmUp: the first call pays for loading mathjs inside its limit and times out (why warmUp exists)', async () => {
  const verdict = await firstVerdict(false);
  expect(verdict).toMatchObject({ status: 'error', reason: "verifier 'math' timed out after 250 ms" });
}, 120_000);

test('the resolver warms each verifier in use once, before any call, and says how long each took', async () => {
  const calls: string[] = [];
  const make = (id: string, warmUp?: () => Promise<void>) =>
    defineVerifier({ id, description: id, version: '1', options: z.object({ tag: z.string().default('') }), ...(warmUp ? { warmUp } : {}), verify: () => ({ status: 'correct' as const, reason: 'ok' }) });
  const registry = new VerifierRegistry([
    make('slow', async () => {
      calls.push('slow');
      await new Promise((resolve) => setTimeout(resolve, 30));
    }),
    make('plain'),
    make('unused', async () => void calls.push('unused')),
  ]);
  const resolver = new VerifierResolver(registry, 'slow');
  // The same verifier with two option sets is still one verifier to warm.
  resolver.checkAll([
    { id: 'a', prompt: 'a', meta: {} },
    { id: 'b', prompt: 'b', verifier: { id: 'slow', options: { tag: 'x' } }, meta: {} },
    { id: 'c', prompt: 'c', verifier: 'plain', meta: {} },
  ]);
  const warmed = await resolver.warmUp();
  expect(calls).toEqual(['slow']);
  expect(warmed.map((w) => w.id)).toEqual(['slow']);
  expect(warmed[0].ms).toBeGreaterThanOrEqual(25);
});

const fixtures = resolve(import.meta.dirname, '../fixtures/verifiers');

test("a plug-in's warmUp runs in its worker before it counts as loaded, outside any call's limit", async () => {
  const verifier = await loadVerifierPlugin('./plugin-warm-up.ts', fixtures);
  try {
    expect(await judge(verifier, '42', '42')).toMatchObject({ status: 'correct' });
  } finally {
    await verifier.dispose?.();
  }
});

test('a plug-in whose warmUp fails does not load, and the message says why', async () => {
  await expect(loadVerifierPlugin('./plugin-warm-up-fails.ts', fixtures)).rejects.toMatchObject({
    code: 'VERIFIER_PLUGIN',
    message: expect.stringMatching(/warmUp\(\) failed: the tables it loads are missing/),
  });
});
