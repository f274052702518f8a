import { open, rename, rm, writeFile } from 'node:fs/promises';
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

/**
 * Writes records as JSON lines, whole or not at all (as writeFileAtomic), a chunk of about 1 MiB
 * at a time: a round's survivors or dataset can be hundreds of MB as one string, on top of the
 * records it is made of.
 */
export async function writeJsonlAtomic(path: string, records: Iterable<unknown>): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await storeIoAsync(path, async () => {
    const file = await open(temporary, 'w');
    try {
      let chunk = '';
      for (const record of records) {
        chunk += `${JSON.stringify(record)}\n`;
        if (chunk.length >= 1 << 20) {
          await file.write(chunk);
          chunk = '';
        }
      }
      if (chunk) await file.write(chunk);
      await file.close();
      await rename(temporary, path);
    } catch (error) {
      await file.close().catch(() => {});
      await rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
  });
}
