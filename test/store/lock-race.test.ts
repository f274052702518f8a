import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { tempDir } from '../e2e/cli.ts';

const taker = fileURLToPath(new URL('./lock-taker.ts', import.meta.url));

/** Starts `count` processes that wait for `go`, then all try to take the lock at once and hold it for a while. */
async function race(dir: string, count: number): Promise<string[]> {
  const go = join(dir, 'go');
  const children = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', taker, dir, go, '1500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    return new Promise<string>((resolve) => child.on('close', () => resolve(out.trim())));
  });
  // Give every process time to load and start polling for `go`.
  await new Promise((r) => setTimeout(r, 2_500));
  writeFileSync(go, '');
  return Promise.all(children);
}

test('processes racing for a stale lock (its holder killed with -9): exactly one wins, every time', { timeout: 120_000 }, async () => {
  for (let trial = 0; trial < 5; trial++) {
    const dir = await tempDir('starloop-lock-race-');
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
    writeFileSync(join(dir, 'run.lock'), JSON.stringify({ pid: dead, host: hostname(), since: 'earlier' }));
    const outcomes = await race(dir, 6);
    expect(outcomes.filter((o) => o === 'won'), outcomes.join('\n')).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('locked: ') && /in use by process \d+/.test(o))).toHaveLength(5);
  }
});
