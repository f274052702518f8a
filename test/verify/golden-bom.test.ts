import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGoldenCases } from '../../src/verify/golden.ts';

describe('golden cases file saved by a Windows editor', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'starloop-golden-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a first line that starts with a byte order mark, with CRLF line ends', async () => {
    const path = join(dir, 'cases.jsonl');
    const line = (candidate: string) => JSON.stringify({ problem: { id: 'p', prompt: 'q', answer: '4', meta: {} }, candidate, expected: 'correct' });
    await writeFile(path, `\uFEFF${line('4')}\r\n${line('#### 4')}\r\n`, 'utf8');
    expect(readGoldenCases(path).map((c) => [c.where, c.golden.candidate])).toEqual([
      [`${path}:1`, '4'],
      [`${path}:2`, '#### 4'],
    ]);
  });
});
