import { expect, test } from 'vitest';
import { sampleId, sampleIdAt, sampleIdHead } from '../../src/store/sample-id.ts';

const base = {
  problemId: 'p1',
  model: 'm',
  prompt: [{ role: 'user' as const, content: 'What is 2+2?' }],
  params: { temperature: 0.8, topP: 1, maxTokens: 64, seed: 0 },
};

test('sample identity depends on problem, model, prompt, sampling parameters, seed and index', () => {
  const id = sampleId({ ...base, index: 0 });
  expect(sampleId({ ...base, index: 0 })).toBe(id);
  expect(sampleId({ ...base, index: 1 })).not.toBe(id);
  expect(sampleId({ ...base, model: 'other', index: 0 })).not.toBe(id);
  expect(sampleId({ ...base, prompt: [{ role: 'user', content: 'What is 2+3?' }], index: 0 })).not.toBe(id);
  expect(sampleId({ ...base, params: { ...base.params, temperature: 1 }, index: 0 })).not.toBe(id);
  expect(sampleId({ ...base, params: { ...base.params, seed: 1 }, index: 0 })).not.toBe(id);
  // Two problems whose prompts render alike keep separate samples.
  expect(sampleId({ ...base, problemId: 'p2', index: 0 })).not.toBe(id);
});

test('k is not part of the identity, so raising k reuses the samples already drawn', () => {
  const firstEight = Array.from({ length: 8 }, (_, index) => sampleId({ ...base, index }));
  const sixteen = Array.from({ length: 16 }, (_, index) => sampleId({ ...base, index }));
  expect(sixteen.slice(0, 8)).toEqual(firstEight);
});

test('ids from the per-prompt head are exactly the ids sampleId gives, so stored runs keep their identities', () => {
  const head = sampleIdHead(base);
  for (const index of [0, 1, 9, 10, 123_456]) expect(sampleIdAt(head, index)).toBe(sampleId({ ...base, index }));
  const stopped = { ...base, params: { ...base.params, stop: ['\n\n'] } };
  expect(sampleIdAt(sampleIdHead(stopped), 3)).toBe(sampleId({ ...stopped, index: 3 }));
});
