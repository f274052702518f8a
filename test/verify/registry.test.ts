import { expect, test } from 'vitest';
import { z } from 'zod';
import { VerifierError } from '../../src/errors.ts';
import { defineVerifier } from '../../src/verify/define.ts';
import { VerifierRegistry } from '../../src/verify/registry.ts';

const make = (id: string) => defineVerifier({ id, description: id, version: '1', options: z.object({}), verify: () => ({ status: 'correct' as const, reason: '' }) });

test('unknown ids suggest the nearest known names', () => {
  const registry = new VerifierRegistry([make('numeric'), make('exact-match'), make('math')]);
  expect(() => registry.get('numerc')).toThrow(/Did you mean 'numeric'\?/);
  expect(() => registry.get('exact')).toThrow(/'exact-match'/);
});

test('duplicate ids are rejected', () => {
  const registry = new VerifierRegistry([make('numeric')]);
  expect(() => registry.register(make('numeric'))).toThrow(VerifierError);
});
