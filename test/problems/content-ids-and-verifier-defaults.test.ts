import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDefaultVerifier, readProblemFile } from '../../src/problems/load.ts';
import { tempDir } from '../e2e/cli.ts';

const gsm = (question: string, n: number) => JSON.stringify({ question, answer: `So ${n}.\n#### ${n}` });

describe('problems without ids', () => {
  it('get the same id for the same question in two files (the official train and test files collide only where they share a question)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'train.jsonl'), [gsm('Tom has 3 apples. How many?', 3), gsm('Ann has 4 pears. How many?', 4)].join('\n'));
    await writeFile(join(dir, 'test.jsonl'), [gsm('Bo has 5 plums. How many?', 5), gsm('Tom  has 3 apples.   How many?', 3)].join('\n'));
    const train = await readProblemFile(join(dir, 'train.jsonl'));
    const test = await readProblemFile(join(dir, 'test.jsonl'));
    expect(train.problems[0].id).not.toBe(train.problems[1].id);
    expect(test.problems[0].id).not.toBe(train.problems[1].id);
    // White space does not make another question; the copy has the train problem's id.
    expect(test.problems[1].id).toBe(train.problems[0].id);
  });

  it('keep a question that appears twice in one file, told apart, and say so', async () => {
    const dir = await tempDir();
    const path = join(dir, 'dup.jsonl');
    await writeFile(path, [gsm('Tom has 3 apples. How many?', 3), gsm('Ann has 4 pears.', 4), gsm('Tom has 3 apples. How many?', 3)].join('\n'));
    const file = await readProblemFile(path);
    expect(file.problems[2].id).toBe(`${file.problems[0].id}-2`);
    expect(file.notices).toEqual([`${path}:3: the same question as line 1; kept as ${file.problems[0].id}-2`]);
  });
});

describe('the verifier a file gets', () => {
  const math = JSON.stringify({ problem: 'What is 1/2 + 1/2?', solution: 'It is $\\boxed{1}$.' });

  it('is the layout default (MATH → math) when the config names none, written on the problems', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'math.jsonl'), math);
    const file = await readProblemFile(join(dir, 'math.jsonl'));
    expect(applyDefaultVerifier(file, undefined)).toMatch(/^math \(the math default/);
    expect(file.problems[0].verifier).toBe('math');
  });

  it("is the config's when it names one, and a problem's own always wins", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'mixed.jsonl'), [JSON.stringify({ id: 'a', prompt: 'q', answer: '1' }), JSON.stringify({ id: 'b', prompt: 'q2', answer: 'B', verifier: 'exact-match' })].join('\n'));
    const file = await readProblemFile(join(dir, 'mixed.jsonl'));
    expect(applyDefaultVerifier(file, 'math')).toBe("math (the config's verifier; 1 problem name their own)");
    expect(file.problems.map((p) => p.verifier)).toEqual([undefined, 'exact-match']);
  });
});
