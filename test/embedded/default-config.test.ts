import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { defaultRunConfigInput } from '../../src/config/default-config.ts';
import { RunConfig } from '../../src/config/schema.ts';

it('the default run config parses, uses the embedded backends and points at shipped problem files', () => {
  const config = RunConfig.parse(defaultRunConfigInput());
  expect(config.policy.type).toBe('embedded');
  expect(config.train.type).toBe('embedded');
  expect(config.verifier).toBe('numeric');
  expect(config.rounds).toBe(3);
  expect(existsSync(config.problems.train)).toBe(true);
  expect(existsSync(config.problems.eval!)).toBe(true);
});
