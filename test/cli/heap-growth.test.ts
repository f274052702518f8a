import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowthFlag } from '../../src/cli/heap-growth.ts';

test('the CLI halves V8 heap growth unless the user chose a growth factor', () => {
  expect(heapGrowthFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  expect(heapGrowthFlag(['--max-old-space-size=4096'])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  expect(heapGrowthFlag(['--heap-growing-percent=300'])).toBeUndefined();
  expect(heapGrowthFlag(['--max-old-space-size=512', '--heap_growing_percent=50'])).toBeUndefined();
});

test('V8 takes the flag at run time: the old generation is collected at about twice its live size', () => {
  // Keeps ~40 MB live while garbage that survives a few young collections piles up in the old
  // generation, as a round's samples do; reports the largest heap seen (measured: ~195 MB set, ~360 MB not).
  const script = `
    const v8 = require('node:v8');
    if (process.argv[1] === 'set') v8.setFlagsFromString('--heap-growing-percent=${HEAP_GROWING_PERCENT}');
    const live = Array.from({ length: 400000 }, (_, i) => ({ i, s: 'x'.repeat(64) + i }));
    let peak = 0, held = [];
    for (let round = 0; round < 600; round++) {
      for (let j = 0; j < 5000; j++) held.push({ round, j, s: 'y'.repeat(40) + j });
      if (held.length > 50000) held = [];
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    console.log(JSON.stringify({ peak, live: live.length }));`;
  const peakOf = (mode: string) => JSON.parse(spawnSync(process.execPath, ['-e', script, mode], { encoding: 'utf8' }).stdout).peak as number;
  expect(peakOf('set')).toBeLessThan(0.75 * peakOf('default'));
});
