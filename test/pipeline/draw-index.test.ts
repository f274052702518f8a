import { expect, test } from 'vitest';
import { renderPrompt } from '../../src/pipeline/prompt.ts';
import { DrawIndex, State } from '../../src/pipeline/sampling/draw-index.ts';
import { parseConfig } from '../../src/index.ts';
import type { Problem } from '../../src/schema/problem.ts';
import { sampleId } from '../../src/store/sample-id.ts';

const config = parseConfig({ name: 'draw-index', problems: { train: 'unused.jsonl' }, verifier: 'numeric' });
const problems: Problem[] = [0, 1, 2].map((i) => ({ id: `p${i}`, prompt: `What is ${i} + 1?`, answer: String(i + 1), meta: {} }));
const params = { temperature: 0.8, topP: 1, maxTokens: 64, seed: 7 };

test('each problem keeps its own state per sample index, below and past the shared stride, up to a large maxK', () => {
  const index = new DrawIndex(problems, { model: 'm', params, render: (p) => renderPrompt(config, p), hinted: false, cap: 200 });
  const [a, b, c] = index.entries;
  a.set(31, State.Correct);
  b.set(0, State.Wrong);
  a.set(32, State.Requested);
  c.set(199, State.Correct);
  c.set(40, State.Correct);
  expect([a.state(31), a.state(32), a.state(0), a.state(33)]).toEqual([State.Correct, State.Requested, State.Empty, State.Empty]);
  expect([b.state(0), b.state(31), b.state(32)]).toEqual([State.Wrong, State.Empty, State.Empty]);
  expect([c.state(199), c.state(40), c.state(0)]).toEqual([State.Correct, State.Correct, State.Empty]);
  expect([a.count(State.Correct, 200), b.count(State.Correct, 200), c.count(State.Correct, 200), c.count(State.Correct, 100)]).toEqual([1, 0, 2, 1]);
});

test('an entry names its samples by the stored identity and renders the prompt the policy receives', () => {
  const render = (p: Problem) => renderPrompt(config, p, true);
  const index = new DrawIndex(problems, { model: 'm', params, render, hinted: true, cap: 8 });
  const entry = index.entries[1];
  expect(entry.key).toBe('p1#hint');
  expect(entry.prompt()).toEqual(render(problems[1]));
  for (const i of [0, 5, 7]) expect(entry.idOf(i)).toBe(sampleId({ problemId: 'p1', model: 'm', prompt: render(problems[1]).messages, params, index: i }));
  expect(index.owner({ problemId: 'p1', hinted: true, index: 5 }, entry.idOf(5))).toBe(entry);
  expect(index.owner({ problemId: 'p1', hinted: true, index: 8 }, entry.idOf(8))).toBeUndefined();
  expect(index.owner({ problemId: 'p1', hinted: false, index: 5 }, entry.idOf(5))).toBeUndefined();
});
