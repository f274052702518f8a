/**
 * CLI start-up: `starloop --help` from the built package (bin/starloop.js → dist/) against the
 * same CLI compiled on the fly by tsx from src/ (how bin/ ran before the package was built),
 * alternated in the same run. Wall time and CPU time (user + system) per start, medians.
 *   npm run bench:startup [-- --runs 15]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { packageRoot } from '../../src/package-info.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs <= 0) throw new Error(`--runs must be a positive whole number, got ${values.runs}`);

const sourceEntry = join(mkdtempSync(join(tmpdir(), 'starloop-bench-startup-')), 'source-cli.mjs');
const sourceMain = pathToFileURL(join(packageRoot, 'src', 'cli', 'main.ts')).href;
writeFileSync(sourceEntry, `const { main } = await import(${JSON.stringify(sourceMain)});\nprocess.exitCode = await main(process.argv);\n`);

const variants = {
  built: `node ${join(packageRoot, 'bin', 'starloop.js')} --help`,
  'tsx (source)': `node --import tsx ${sourceEntry} --help`,
};

/** bash's `time` reports the child's wall, user and system seconds. */
function measure(command: string): { wall: number; cpu: number } {
  const run = spawnSync('bash', ['-c', `TIMEFORMAT='%R %U %S'; time ${command} > /dev/null`], { cwd: packageRoot, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const [wall, user, system] = run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wall, cpu: user + system };
}

const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, [] as { wall: number; cpu: number }[]]));
for (let i = 0; i < runs; i++) {
  for (const [name, command] of Object.entries(variants)) samples[name].push(measure(command));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = Object.entries(samples).map(([name, list]) => ({ name, wall: median(list.map((s) => s.wall)), cpu: median(list.map((s) => s.cpu)) }));
const [built, source] = rows;
for (const row of rows) process.stdout.write(`${row.name.padEnd(14)} wall ${row.wall.toFixed(3)} s   cpu ${row.cpu.toFixed(3)} s   (median of ${runs})\n`);
process.stdout.write(`built is ${(source.wall / built.wall).toFixed(1)}× faster in wall time, ${(source.cpu / built.cpu).toFixed(1)}× in CPU time\n`);
