import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { tempDir } from '../e2e/cli.ts';

const taker = fileURLToPath(new URL('./lock-taker.ts', import.meta.url));

/**
 * Starts `count` processes, waits until each has loaded and is polling for `go`, starts them all at
 * once, and lets the winner release only after every process has tried: on a loaded machine, a
 * process that started late must still find the lock held, so timing cannot make two winners.
 */
async function race(dir: string, count: number): Promise<string[]> {
  const go = join(dir, 'go');
  const release = join(dir, 'release');
  const outputs: string[] = Array(count).fill('');
  let changed = () => {};
  const children = Array.from({ length: count }, (_, i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', taker, dir, go, release], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (chunk) => {
      outputs[i] += chunk;
      changed();
    });
    return new Promise<void>((resolve) => child.on('close', () => resolve()));
  });
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      changed = () => done() && resolve();
      changed();
    });
  await until(() => outputs.every((o) => o.startsWith('ready\n')));
  writeFileSync(go, '');
  await until(() => outputs.every((o) => o.split('\n').length > 2));
  writeFileSync(release, '');
  await Promise.all(children);
  return outputs.map((o) => o.replace(/^ready\n/, '').trim());
}

test('processes racing for a stale lock (its holder killed with -9): exactly one wins, every time', { timeout: 120_000 }, async () => {
  for (let trial = 0; trial < 5; trial++) {
    const dir = await tempDir('starloop-lock-race-');
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    writeFileSync(join(dir, 'run.lock'), JSON.stringify({ pid: dead, host: hostname(), since: 'earlier' }));
    const outcomes = await race(dir, 6);
    expect(outcomes.filter((o) => o === 'won'), outcomes.join('\n')).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('locked: ') && /in use by (process \d+|another process)/.test(o))).toHaveLength(5);
  }
});
