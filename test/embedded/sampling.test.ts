import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/embedded/config.ts';
import { collate, encodeExample } from '../../src/embedded/examples.ts';
import { Network } from '../../src/embedded/network.ts';
import { sampleBatch } from '../../src/embedded/sampler.ts';
import { encode, EOS, isSampleable, VOCAB_SIZE } from '../../src/embedded/tokenizer.ts';
import { fillRandom } from './helpers.ts';

const CONFIG: ModelConfig = { vocabSize: VOCAB_SIZE, contextLength: 16, dModel: 16, nHeads: 2, nLayers: 2, mlpRatio: 2, tiedEmbeddings: false };

function randomNet(): Network {
  const net = new Network(CONFIG);
  fillRandom(net.paramView(), 5, 0.3);
  return net;
}

const PROMPTS = ['12+34=', '5+6=', '987+123=', 'hi'];

describe('sampling', () => {
  it('is reproducible for a fixed seed and independent of batch composition', () => {
    const net = randomNet();
    const options = { temperature: 1, topP: 0.9, maxTokens: 6 };
    const jobs = PROMPTS.map((prompt, i) => ({ prompt, seed: 100 + i }));
    const first = sampleBatch(net, jobs, options);
    expect(sampleBatch(net, jobs, options)).toEqual(first);
    const alone = jobs.map((job) => sampleBatch(net, [job], options)[0]);
    expect(alone).toEqual(first);
    const reseeded = sampleBatch(net, jobs.map((j) => ({ ...j, seed: j.seed + 1 })), options);
    expect(reseeded.map((r) => r.text)).not.toEqual(first.map((r) => r.text));
  });

  it('the KV-cache sampler agrees with the full forward pass (greedy = argmax of training logits)', () => {
    const net = randomNet();
    const results = sampleBatch(net, PROMPTS.map((prompt) => ({ prompt, seed: 1 })), { temperature: 0, topP: 1, maxTokens: 6 });
    for (const [i, r] of results.entries()) {
      const encoded = encodeExample({ prompt: PROMPTS[i], completion: r.text });
      const batch = collate([encoded], CONFIG.contextLength);
      net.step(batch, false);
      const logits = net.lastLogits();
      const produced = r.finishReason === 'stop' ? [...encode(r.text), EOS] : encode(r.text);
      produced.forEach((token, k) => {
        const t = encoded.completionStart - 1 + k;
        let best = EOS;
        for (let j = 1; j < VOCAB_SIZE; j++) if (isSampleable(j) && logits[t * VOCAB_SIZE + j] > logits[t * VOCAB_SIZE + best]) best = j;
        expect(token).toBe(best);
      });
    }
  });

  it('stops at maxTokens with finishReason length, and on a stop string with it removed', () => {
    const net = randomNet();
    const draw = (seed: number, maxTokens: number, stop?: string[]) =>
      sampleBatch(net, [{ prompt: '1+1=', seed }], { temperature: 1, topP: 1, maxTokens, stop })[0];
    // A seed whose free generation is at least 3 characters long (the net is random, so most are).
    const seed = [...Array(50).keys()].find((s) => draw(s, 8).text.length >= 3);
    expect(seed).toBeDefined();
    const free = draw(seed!, 8);
    const short = draw(seed!, 2);
    expect(short).toMatchObject({ text: free.text.slice(0, 2), finishReason: 'length', completionTokens: 2 });
    const stopped = draw(seed!, 8, [free.text.slice(1, 3)]);
    expect(stopped).toMatchObject({ text: free.text.slice(0, 1), finishReason: 'stop' });
  });
});
