import { expect, test } from 'vitest';
import { resolveConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';

const base = { problems: { train: 't.jsonl' } };

test('a typo in a prompt placeholder is a config error naming the key and the near name, not literal text sent to the model', () => {
  const parse = () => resolveConfig({ ...base, prompt: { template: 'Solve: {{problm}}' } }, '/', 'my.yaml');
  expect(parse).toThrow(ConfigError);
  expect(parse).toThrow('my.yaml: prompt.template: unknown placeholder {{problm}} (did you mean {{problem}}?); known: {{problem}}, {{id}}');
});

test('the hint template must give the answer while rationalization is on', () => {
  expect(() => resolveConfig({ ...base, rationalize: { hintTemplate: '{{problem}} (think harder)' } }, '/', 'c.yaml')).toThrow(
    'c.yaml: rationalize.hintTemplate has no {{answer}}',
  );
  expect(() => resolveConfig({ ...base, rationalize: { enabled: false, hintTemplate: '{{problem}}' } }, '/', 'c.yaml')).not.toThrow();
  expect(() => resolveConfig({ ...base, rationalize: { hintTemplate: '{{problem}} {{answr}}' } }, '/', 'c.yaml')).toThrow('did you mean {{answer}}?');
});

test('known placeholders, with or without inner spaces, pass', () => {
  expect(() => resolveConfig({ ...base, prompt: { template: '[{{ id }}] {{problem}}' } }, '/', 'c.yaml')).not.toThrow();
});
