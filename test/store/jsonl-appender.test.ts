import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { JsonlAppender } from '../../src/store/jsonl-appender.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'starloop-appender-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('lines appended in one turn land in call order, each append resolving once its line is in the file', async () => {
  const appender = new JsonlAppender(join(dir, 'a.jsonl'));
  const stored = Array.from({ length: 100 }, (_, i) => appender.append({ i }));
  await stored[0];
  // The first line's promise resolved: the whole turn's batch is in the file, in order.
  const lines = (await readFile(appender.path, 'utf8')).trimEnd().split('\n');
  expect(lines.map((line) => (JSON.parse(line) as { i: number }).i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  await Promise.all(stored);
  await appender.close();
});

test('a producer that never yields to the event loop still writes as it goes, not all at the end', async () => {
  const appender = new JsonlAppender(join(dir, 'b.jsonl'));
  await appender.append({ opened: true });
  const line = { text: 'x'.repeat(1_000) };
  let sizeMidway = 0;
  // Only microtasks between appends: no turn of the event loop ends until the loop does.
  for (let i = 0; i < 5_000; i++) {
    void appender.append(line);
    await Promise.resolve();
    if (i === 2_500) sizeMidway = (await stat(appender.path).catch(() => ({ size: 0 }))).size;
  }
  expect(sizeMidway).toBeGreaterThan(1_000_000);
  await appender.close();
  expect((await readFile(appender.path, 'utf8')).trimEnd().split('\n')).toHaveLength(5_001);
});

test('a full disk fails the batch, every later append and the close with one RUN_IO error', async () => {
  // /dev/full answers every write with ENOSPC, as a full disk does.
  const appender = new JsonlAppender('/dev/full');
  const first = appender.append({ a: 1 });
  const second = appender.append({ b: 2 });
  await expect(first).rejects.toMatchObject({ code: 'RUN_IO', message: expect.stringContaining('the disk is full') });
  await expect(second).rejects.toMatchObject({ code: 'RUN_IO' });
  await expect(appender.append({ c: 3 })).rejects.toMatchObject({ code: 'RUN_IO' });
  await expect(appender.close()).rejects.toMatchObject({ code: 'RUN_IO' });
});
