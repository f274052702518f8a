// A process that says it is ready, waits for a `go` file, tries to lock a run directory, and, if it
// won, holds the lock until a `release` file appears (see lock-race.test.ts).
import { existsSync } from 'node:fs';
import { acquireRunLock } from '../../src/store/lock.ts';

const [dir, go, release] = process.argv.slice(2);
const until = async (path: string) => {
  while (!existsSync(path)) await new Promise((r) => setTimeout(r, 2));
};
process.stdout.write('ready\n');
await until(go);
try {
  const lock = await acquireRunLock(`${dir}/run.lock`, dir);
  process.stdout.write('won\n');
  await until(release);
  lock.release();
} catch (error) {
  process.stdout.write(`locked: ${(error as Error).message}\n`);
}
