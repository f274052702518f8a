import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.ts';
import { createEmbeddedPolicy } from '../../src/policy/embedded.ts';
import type { Generation, GenerationRequest, Policy } from '../../src/policy/policy.ts';
import { writeTinyCheckpoint } from './helpers.ts';

async function collect(policy: Policy, requests: GenerationRequest[], seed = 0): Promise<Generation[]> {
  const out: Generation[] = [];
  for await (const g of policy.generate(requests, { temperature: 1, topP: 1, maxTokens: 6, seed })) out.push(g);
  return out;
}

const request = (key: string, prompt: string, indices: number[]): GenerationRequest => ({
  key, messages: [{ role: 'system', content: 'ignored' }, { role: 'user', content: prompt }], text: `system\n${prompt}`, indices,
});

describe('embedded policy', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-policy-'));
  const checkpoint = await writeTinyCheckpoint(dir);

  it('draws one generation per requested index, named by the checkpoint digest', async () => {
    const policy = await createEmbeddedPolicy({ type: 'embedded', checkpoint });
    expect(policy.id).toMatch(/^embedded:[0-9a-f]{12}$/);
    const out = await collect(policy, [request('a', '12+34=', [0, 1, 2]), request('b', '5+6=', [7])]);
    expect(out.map((g) => `${g.key}/${g.index}`).sort()).toEqual(['a/0', 'a/1', 'a/2', 'b/7']);
    for (const g of out) {
      expect(g.model).toBe(policy.id);
      expect(['stop', 'length']).toContain(g.finishReason);
      expect(g.usage.promptTokens).toBe(g.key === 'a' ? 6 : 4);
      expect(g.usage.completionTokens).toBeGreaterThan(0);
    }
  });

  it('redraws a sample identically from (seed, prompt, index), however requests are grouped', async () => {
    const policy = await createEmbeddedPolicy({ type: 'embedded', checkpoint });
    const all = await collect(policy, [request('a', '12+34=', [0, 1, 2, 3])]);
    const gap = await collect(policy, [request('x', '5+6=', [0]), request('a', '12+34=', [2])]);
    expect(gap.find((g) => g.key === 'a')!.text).toBe(all.find((g) => g.index === 2)!.text);
    const otherSeed = await collect(policy, [request('a', '12+34=', [0, 1, 2, 3])], 1);
    expect(otherSeed.map((g) => g.text)).not.toEqual(all.map((g) => g.text));
  });

  it('ref.checkpoint overrides config.checkpoint', async () => {
    const other = await writeTinyCheckpoint(dir, 'other.ckpt');
    const a = await createEmbeddedPolicy({ type: 'embedded', checkpoint: other });
    const b = await createEmbeddedPolicy({ type: 'embedded', checkpoint: join(dir, 'missing.ckpt') }, { model: a.id, checkpoint: other });
    expect(b.id).toBe(a.id);
  });

  it('rejects a prompt longer than the context with a PolicyError', async () => {
    const policy = await createEmbeddedPolicy({ type: 'embedded', checkpoint });
    await expect(collect(policy, [request('long', '1'.repeat(40), [0])])).rejects.toThrow(PolicyError);
  });
});

describe('embedded policy with worker threads', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-policy-workers-'));
  const checkpoint = await writeTinyCheckpoint(dir);

  it('draws exactly what the in-process policy draws', async () => {
    const requests = [request('a', '12+34=', [0, 1, 2, 3, 4]), request('b', '5+6=', [0, 1, 2])];
    const single = await createEmbeddedPolicy({ type: 'embedded', checkpoint });
    const pooled = await createEmbeddedPolicy({ type: 'embedded', checkpoint, workers: 2 });
    try {
      const key = (g: Generation) => `${g.key}/${g.index}/${g.text}/${g.finishReason}`;
      expect((await collect(pooled, requests)).map(key).sort()).toEqual((await collect(single, requests)).map(key).sort());
    } finally {
      await pooled.close?.();
    }
  });
});
