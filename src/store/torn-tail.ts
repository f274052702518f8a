import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * `kill -9` during an append can leave a last line without its newline. Appending after it would
 * glue two records together, so before a run appends to a file again the torn tail is cut off
 * (it is re-requested, never half-trusted). Returns the number of bytes removed.
 */
export async function repairTornTail(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    if (size === 0) return 0;
    const chunk = Buffer.alloc(Math.min(size, 1 << 20));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const length = end - start;
      await handle.read(chunk, 0, length, start);
      const newline = chunk.subarray(0, length).lastIndexOf(0x0a);
      if (newline >= 0) {
        const keep = start + newline + 1;
        if (keep < size) await handle.truncate(keep);
        return size - keep;
      }
      end = start;
    }
    await handle.truncate(0);
    return size;
  } finally {
    await handle.close();
  }
}
