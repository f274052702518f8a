import { expect, it } from 'vitest';
import type { ModelConfig } from '../../src/embedded/config.ts';
import { Network } from '../../src/embedded/network.ts';
import { initParams } from '../../src/embedded/params.ts';
import { Rng } from '../../src/embedded/rng.ts';
import { sampleBatch } from '../../src/embedded/sampler.ts';
import { trainNetwork } from '../../src/embedded/train.ts';
import { VOCAB_SIZE } from '../../src/embedded/tokenizer.ts';

const CONFIG: ModelConfig = { vocabSize: VOCAB_SIZE, contextLength: 16, dModel: 32, nHeads: 4, nLayers: 2, mlpRatio: 2, tiedEmbeddings: true };
const EXAMPLES = [
  { prompt: '12+34=', completion: '46' },
  { prompt: '5+6=', completion: '11' },
  { prompt: '70+8=', completion: '78' },
  { prompt: '9+9=', completion: '18' },
];

it('overfits a tiny batch to near-zero loss, and then greedy sampling reproduces it', async () => {
  const net = new Network(CONFIG);
  initParams(net.layout, CONFIG, net.paramView(), new Rng(1));
  const { losses } = await trainNetwork(net, EXAMPLES, { steps: 200, batchSize: 4, learningRate: 1e-2, warmupSteps: 10, seed: 2, weightDecay: 0 });
  expect(losses[0]).toBeGreaterThan(2);
  expect(losses.at(-1)).toBeLessThan(0.02);
  const out = sampleBatch(net, EXAMPLES.map((e, i) => ({ prompt: e.prompt, seed: i })), { temperature: 0, topP: 1, maxTokens: 5 });
  expect(out.map((o) => o.text)).toEqual(EXAMPLES.map((e) => e.completion));
  expect(out.every((o) => o.finishReason === 'stop')).toBe(true);
});
