import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { JsonlRecordSink } from '../../src/store/record-sink.ts';
import { tempDir } from '../e2e/cli.ts';

const Row = z.object({ id: z.string(), n: z.number() });

test('a line torn by kill -9 is cut off before the next append, so the file stays one record per line', async () => {
  const path = join(await tempDir(), 'samples.jsonl');
  await writeFile(path, '{"id":"a","n":1}\n{"id":"b","n":2}\n{"id":"c","n"');
  const sink = new JsonlRecordSink(path, Row, (r) => r.id);
  expect([...(await sink.load()).keys()]).toEqual(['a', 'b']);
  await sink.append([{ id: 'c', n: 3 }]);
  expect(await readFile(path, 'utf8')).toBe('{"id":"a","n":1}\n{"id":"b","n":2}\n{"id":"c","n":3}\n');
});

test('a bad line in the middle of a run file is an error naming file:line, not silently skipped', async () => {
  const path = join(await tempDir(), 'verdicts.jsonl');
  await writeFile(path, '{"id":"a","n":1}\n{"id":"b","n":"two"}\n{"id":"c","n":3}\n');
  const sink = new JsonlRecordSink(path, Row, (r) => r.id);
  await expect(sink.load()).rejects.toThrow(`${path}:2: n:`);
});
