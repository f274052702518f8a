import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/problems/index.ts';

// Files saved by Windows editors start with a byte order mark and end lines with CRLF.
describe('problem files written on Windows', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'starloop-bom-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a file that starts with a UTF-8 byte order mark and uses CRLF', async () => {
    const path = join(dir, 'windows.jsonl');
    const lines = ['{"id":"a","prompt":"one","answer":"1"}', '{"id":"b","prompt":"two","answer":"2"}'];
    await writeFile(path, `\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
    const problems = await loadProblems(path);
    expect(problems.map((p) => [p.id, p.prompt, p.answer])).toEqual([
      ['a', 'one', '1'],
      ['b', 'two', '2'],
    ]);
  });

  it('auto-detects the layout past the byte order mark', async () => {
    const path = join(dir, 'gsm8k.jsonl');
    await writeFile(path, '\uFEFF{"question":"How many?","answer":"2 + 2 = 4\\n#### 4"}\r\n', 'utf8');
    const problems = await loadProblems(path);
    expect(problems.map((p) => [p.id, p.answer])).toEqual([[expect.stringMatching(/^gsm8k-[0-9a-f]{12}$/), '4']]);
  });
});
