import { expect, test } from 'vitest';
import { parseConfig } from '../../src/index.ts';
import { dropContaminatedLines } from '../../src/pipeline/contamination.ts';
import type { Dataset } from '../../src/pipeline/select.ts';
import type { Problem } from '../../src/schema/problem.ts';

const evalProblem: Problem = { id: 'eval-1', prompt: 'A train leaves at 3 pm going 60 miles per hour toward a town 180 miles away. When does it arrive?', answer: '6', meta: {} };
const line = (answer: string) => ({ messages: [{ role: 'user' as const, content: 'q' }, { role: 'assistant' as const, content: answer }] });
const dataset: Dataset = {
  lines: [line('It is 2 + 2 = 4.'), line(`Recall: ${evalProblem.prompt as string} So 6.`), line('Three. The answer is 3.')],
  provenance: [1, 2, 3].map((n) => ({ line: n, problemId: `t${n}`, sampleId: `s${n}`, round: 0, source: 'sampled' as const, verifier: 'numeric' })),
};

test('a dataset line whose answer restates an eval problem is left out; provenance stays line for line', () => {
  const config = parseConfig({ problems: { train: 't.jsonl' } });
  const { dataset: kept, dropped } = dropContaminatedLines(config, dataset, [evalProblem], 0);
  expect(dropped).toBe(1);
  expect(kept.lines.map((l) => l.messages[1].content)).toEqual(['It is 2 + 2 = 4.', 'Three. The answer is 3.']);
  expect(kept.provenance.map((p) => [p.line, p.problemId])).toEqual([[1, 't1'], [2, 't3']]);
});

test('with select.contamination: error the same line stops the round with the line and the eval problem named', () => {
  const config = parseConfig({ problems: { train: 't.jsonl' }, select: { contamination: 'error' } });
  expect(() => dropContaminatedLines(config, dataset, [evalProblem], 2)).toThrow(/round 2: 1 fine-tuning example contains.*\n {2}line 2: contains eval eval-1/);
});
