import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { storeIoAsync } from './io-error.ts';

/**
 * Replaces `path` with what `write` puts in a temporary sibling, then a rename, so readers never
 * see half of it; a temporary file that failed (disk full) does not linger beside the run's files.
 */
async function replaceFile(path: string, write: (file: FileHandle) => Promise<void>): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await storeIoAsync(path, async () => {
    const file = await open(temporary, 'w');
    try {
      await write(file);
      await file.close();
      await rename(temporary, path);
    } catch (error) {
      await file.close().catch(() => {});
      await rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
  });
}

/** Writes a whole file through a temporary sibling and a rename, so readers never see half of it. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await replaceFile(path, (file) => file.writeFile(content, 'utf8'));
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
  await replaceFile(path, async (file) => {
    let chunk = '';
    for (const record of records) {
      chunk += `${JSON.stringify(record)}\n`;
      if (chunk.length >= 1 << 20) {
        await file.write(chunk);
        chunk = '';
      }
    }
    if (chunk) await file.write(chunk);
  });
}
