/**
 * The imitation-ceiling experiment (`starloop run --recipe imitation-ceiling`) at full size, once
 * per seed: each arm's eval pass@1, each arm against the teacher (paired difference, its 95%
 * bootstrap interval, McNemar p, verdict), and the wall and CPU time of the whole experiment.
 * Run: npm run bench:ceiling [-- --seeds 0,1,2 --set teacherSteps=40 --keep]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSetOptions } from '../../src/config/load.ts';
import { loadVerifierRegistry } from '../../src/library.ts';
import { IMITATION_CEILING, type ImitationCeilingResult, runImitationCeiling } from '../../src/recipes/imitation-ceiling.ts';
import { recipeNamed, recipeSettings } from '../../src/recipes/recipes.ts';
import { percent, points } from '../../src/util/format.ts';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '0,1,2' }, set: { type: 'string', multiple: true, default: [] }, keep: { type: 'boolean', default: false } },
});
const seeds = values.seeds.split(',').map(Number);
const overrides = recipeSettings(IMITATION_CEILING, recipeNamed(IMITATION_CEILING), parseSetOptions(values.set));

interface Measured {
  seed: number;
  result: ImitationCeilingResult;
  wallS: number;
  cpuS: number;
}

async function once(seed: number): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-ceiling-bench-'));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runImitationCeiling({
    outDir: join(dir, 'ceiling'),
    settings: { ...overrides, seed },
    registry: (config) => loadVerifierRegistry(config),
    // Where it is, on stderr: one line per arm and per evaluated round.
    onEvent(event) {
      if (event.type === 'log' && event.message.startsWith(`${IMITATION_CEILING}: arm`)) console.error(`seed ${seed}: ${event.message}`);
      if (event.type === 'round-end' && event.summary.eval) console.error(`seed ${seed}:   round ${event.summary.round} eval pass@1 ${percent(event.summary.eval.passAt1)}`);
    },
  });
  const used = process.cpuUsage(cpu);
  const measured = { seed, result, wallS: (performance.now() - started) / 1000, cpuS: (used.user + used.system) / 1e6 };
  if (values.keep) console.log(`seed ${seed}: kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
  return measured;
}

const rows: Measured[] = [];
for (const seed of seeds) {
  const measured = await once(seed);
  rows.push(measured);
  console.log(measured.result.text);
  console.log(`seed ${seed}: ${measured.wallS.toFixed(1)} s wall, ${measured.cpuS.toFixed(1)} s CPU\n`);
}

const pair = (m: Measured, arm: 'imitation' | 'filtered' | 'star') => {
  const label = m.result.comparison.entries.find((e) => e.label.startsWith(`${arm} r`))!.label;
  const p = m.result.comparison.pairs.find((q) => q.candidate === label)!;
  return `${points(p.meanDifference)} [${points(p.low)}, ${points(p.high)}] ${p.verdict}`;
};
const settings = rows[0].result.settings;
console.log(`settings: teacherSteps ${settings.teacherSteps}, rounds ${settings.rounds}, steps ${settings.steps}, k ${settings.k}`);
console.log('| seed | teacher | student r0 | A imitation | B filtered | C STaR | A − teacher | B − teacher | C − teacher | ceiling shown | wall | CPU |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const m of rows) {
  const rates = m.result.comparison.entries.map((e) => percent(e.passAt1));
  console.log(`| ${m.seed} | ${rates.join(' | ')} | ${pair(m, 'imitation')} | ${pair(m, 'filtered')} | ${pair(m, 'star')} | ${m.result.verdict.ceilingShown ? 'yes' : 'no'} | ${m.wallS.toFixed(0)} s | ${m.cpuS.toFixed(0)} s |`);
}
const shown = rows.filter((m) => m.result.verdict.ceilingShown).length;
console.log(`\nceiling shown in ${shown} of ${rows.length} seeds; CPU/wall ${(rows.reduce((s, m) => s + m.cpuS, 0) / rows.reduce((s, m) => s + m.wallS, 0)).toFixed(2)} cores on average`);
