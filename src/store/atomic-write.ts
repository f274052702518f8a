import { rename, rm, writeFile } from 'node:fs/promises';
import { storeIoAsync } from './io-error.ts';

/** Writes a whole file through a temporary sibling and a rename, so readers never see half of it. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await storeIoAsync(path, async () => {
    try {
      await writeFile(temporary, content, 'utf8');
      await rename(temporary, path);
    } catch (error) {
      // A half-written temporary file (disk full) must not linger beside the run's files.
      await rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
  });
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
