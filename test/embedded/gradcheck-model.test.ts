import { describe, expect, it } from 'vitest';
import { Network } from '../../src/embedded/network.ts';
import { expectClose, fillRandom, numericGrad, randomBatch, TINY_CONFIG } from './helpers.ts';

describe.each(['js', 'wasm'] as const)('full-model gradient (%s kernels)', (kind) => {
  it.each([true, false])('matches finite differences for every parameter tensor (tied=%s)', (tied) => {
    const config = { ...TINY_CONFIG, tiedEmbeddings: tied };
    const net = new Network(config, kind);
    const batch = randomBatch(config, 2, 5, 7);
    fillRandom(net.paramView(), 3, 0.4);
    for (const spec of net.layout.specs) {
      if (spec.name.endsWith('.g')) for (let i = 0; i < spec.size; i++) net.paramView()[spec.offset + i] += 1;
    }
    net.step(batch, true);
    const grads = net.gradView().slice();
    const params = net.paramView();
    let checked = 0;
    for (const spec of net.layout.specs) {
      // Three entries per tensor (first, middle, last) keep the test fast while touching every layer.
      for (const i of [0, Math.floor(spec.size / 2), spec.size - 1]) {
        const at = spec.offset + i;
        const numeric = numericGrad(params, at, () => net.step(batch, false));
        expectClose(grads[at], numeric, `${spec.name}[${i}]`);
        checked++;
      }
    }
    expect(checked).toBe(net.layout.specs.length * 3);
  });
});
