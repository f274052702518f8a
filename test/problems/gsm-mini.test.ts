import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { checkProblems, loadProblems } from '../../src/problems/index.ts';
import { GSM_MINI_COUNTS, gsmMiniDir, makeGsmMini, toJsonl } from '../../scripts/make-gsm-mini.ts';

const path = (split: 'train' | 'eval') => join(gsmMiniDir, `${split}.jsonl`);

describe('problems/gsm-mini', () => {
  it('is exactly what the committed generator makes', async () => {
    const sets = makeGsmMini();
    for (const split of ['train', 'eval'] as const) expect(await readFile(path(split), 'utf8')).toBe(toJsonl(sets[split]));
  });

  it('loads as native problems with their split, answers and groups', async () => {
    for (const split of ['train', 'eval'] as const) {
      const summary = await checkProblems(path(split));
      expect(summary.format).toBe('native');
      expect(summary.count).toBe(GSM_MINI_COUNTS[split]);
      expect(summary.splits[split]).toBe(GSM_MINI_COUNTS[split]);
      expect(summary.withAnswer).toBe(GSM_MINI_COUNTS[split]);
      expect(Object.keys(summary.groups).sort()).toEqual(['easy', 'hard', 'medium']);
    }
  });

  it('has whole-number answers that every solution step re-derives', async () => {
    for (const split of ['train', 'eval'] as const) {
      for (const problem of await loadProblems(path(split))) {
        expect(problem.answer).toMatch(/^\d+$/);
        const lines = String(problem.meta.solution).split('\n');
        expect(lines.at(-1)).toBe(`#### ${problem.answer}`);
        for (const step of lines.slice(0, -1)) {
          const [expression, value] = step.split(' = ');
          expect(evaluate(expression), `${problem.id}: ${step}`).toBe(Number(value));
        }
        const lastStep = lines.at(-2) ?? '';
        expect(lastStep.endsWith(`= ${problem.answer}`), `${problem.id}: last step gives the answer`).toBe(true);
      }
    }
  });

  it('shares no question between train and eval', async () => {
    const prompts = async (split: 'train' | 'eval') => new Set((await loadProblems(path(split))).map((p) => p.prompt));
    const train = await prompts('train');
    expect([...(await prompts('eval'))].filter((prompt) => train.has(prompt))).toEqual([]);
  });
});
