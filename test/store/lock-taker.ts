// A process that waits for a `go` file, then tries to lock a run directory (see lock-race.test.ts).
import { existsSync } from 'node:fs';
import { acquireRunLock } from '../../src/store/lock.ts';

const [dir, go, holdMs] = process.argv.slice(2);
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 2));
try {
  const lock = await acquireRunLock(`${dir}/run.lock`, dir);
  process.stdout.write('won\n');
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  lock.release();
} catch (error) {
  process.stdout.write(`locked: ${(error as Error).message}\n`);
}
