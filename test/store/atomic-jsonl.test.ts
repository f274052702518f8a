import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { writeJsonlAtomic } from '../../src/store/atomic-write.ts';

test('records are written as JSON lines across chunk boundaries, and replace the file whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'starloop-jsonl-atomic-'));
  const path = join(dir, 'dataset.jsonl');
  writeFileSync(path, 'old\n');
  const records = Array.from({ length: 30_000 }, (_, i) => ({ i, text: `line ${i} ${'x'.repeat(i % 97)}` }));
  await writeJsonlAtomic(path, records);
  const lines = readFileSync(path, 'utf8').split('\n');
  expect(lines.pop()).toBe('');
  expect(lines.map((line) => JSON.parse(line))).toEqual(records);
  expect(readFileSync(path).length).toBeGreaterThan(2 << 20);
  expect(readdirSync(dir)).toEqual(['dataset.jsonl']);
});

test('a failure part-way leaves the previous file as it was and no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'starloop-jsonl-atomic-'));
  const path = join(dir, 'survivors.jsonl');
  writeFileSync(path, '{"kept":true}\n');
  function* records() {
    for (let i = 0; i < 20_000; i++) yield { i, text: 'y'.repeat(100) };
    yield { toJSON: () => { throw new Error('cannot serialize'); } };
  }
  await expect(writeJsonlAtomic(path, records())).rejects.toThrow(/cannot serialize/);
  expect(readFileSync(path, 'utf8')).toBe('{"kept":true}\n');
  expect(readdirSync(dir)).toEqual(['survivors.jsonl']);
  expect(existsSync(`${path}.${process.pid}.tmp`)).toBe(false);
});
