import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runCli, tempDir } from './cli.ts';

test('starloop verify writes one verdict per sample, in input order', async () => {
  const dir = await tempDir();
  const problems = join(dir, 'problems.jsonl');
  const samples = join(dir, 'samples.jsonl');
  await writeFile(problems, ['{"id":"p1","prompt":"2+3?","answer":"5"}', '{"id":"p2","prompt":"10*10?","answer":"#### 100"}'].join('\n') + '\n');
  await writeFile(
    samples,
    [
      { problemId: 'p2', text: 'Ten tens. The answer is 100.' },
      { problemId: 'p1', text: 'I think it is 6.' },
      { problemId: 'p1', text: 'no idea' },
      { problemId: 'p1', text: '2 + 3 = 5\n#### 5', index: 7 },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n',
  );
  const result = await runCli(['verify', '--problems', problems, '--samples', samples]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const verdicts = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(verdicts.map((v) => [v.problemId, v.index, v.status])).toEqual([
    ['p2', 0, 'correct'],
    ['p1', 0, 'incorrect'],
    ['p1', 1, 'unparseable'],
    ['p1', 7, 'correct'],
  ]);
  expect(verdicts[0]).toMatchObject({ score: 1, extracted: '100' });
  expect(typeof verdicts[1].reason).toBe('string');
});

test('a samples line naming an unknown problem is an error with file:line', async () => {
  const dir = await tempDir();
  const problems = join(dir, 'problems.jsonl');
  const samples = join(dir, 'samples.jsonl');
  await writeFile(problems, '{"id":"p1","prompt":"2+3?","answer":"5"}\n');
  await writeFile(samples, '{"problemId":"p1","text":"5"}\n{"problemId":"zz","text":"5"}\n');
  const result = await runCli(['verify', '-p', problems, '-s', samples]);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`${samples}:2`);
});
