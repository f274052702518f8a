import { expect, test } from 'vitest';
import { resolveConfig } from '../../src/config/load.ts';

const config = (extra: Record<string, unknown>) => ({ problems: { train: 'train.jsonl' }, ...extra });

test('a {steps} placeholder without a steps schedule is a config error, not a literal "{steps}" in the command', () => {
  expect(() => resolveConfig(config({ train: { type: 'command', command: 'train --steps {steps}' } }), '/tmp', 'c.yaml')).toThrow(
    'c.yaml: train.command uses {steps}, but train.steps is not set',
  );
  expect(() => resolveConfig(config({ train: { type: 'command', command: 'train --steps {steps}', steps: { start: 40, growth: 1.2 } } }), '/tmp')).not.toThrow();
});

test('a majority share without the majority filter is refused rather than ignored', () => {
  expect(() => resolveConfig(config({ select: { majorityShare: 0.7 } }), '/tmp', 'c.yaml')).toThrow('c.yaml: select.majorityShare applies only with select.filter: majority');
  expect(() => resolveConfig(config({ select: { filter: 'majority', majorityShare: 0.7 } }), '/tmp')).not.toThrow();
});

test('a generate template without {{examples}}, or with a placeholder it does not fill, or bounds the wrong way round, is refused', () => {
  expect(() => resolveConfig(config({ generate: { template: 'Write a problem.' } }), '/tmp', 'c.yaml')).toThrow('c.yaml: generate.template has no {{examples}}, so the writer would see no example');
  expect(() => resolveConfig(config({ generate: { template: '{{examples}} about {{topic}}' } }), '/tmp', 'c.yaml')).toThrow('c.yaml: generate.template: unknown placeholder {{topic}}; known: {{examples}}');
  expect(() => resolveConfig(config({ generate: { minWords: 30, maxWords: 20 } }), '/tmp', 'c.yaml')).toThrow('c.yaml: generate.minWords (30) is above generate.maxWords (20)');
  expect(() => resolveConfig(config({ generate: { seedExamples: 0, generatedExamples: 0 } }), '/tmp', 'c.yaml')).toThrow('c.yaml: generate.seedExamples and generate.generatedExamples are both 0');
  expect(resolveConfig(config({ generate: { template: 'See:\n{{ examples }}\nWrite one new problem.' } }), '/tmp').generate?.rougeThreshold).toBe(0.7);
});
