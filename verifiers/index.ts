import type { AnyVerifier } from '../src/verify/define.ts';
import { VerifierRegistry } from '../src/verify/registry.ts';
import { command } from './command/index.ts';
import { exactMatch } from './exact-match/index.ts';
import { jsTests, pythonTests } from './code-tests/index.ts';
import { math } from './math/index.ts';
import { numeric } from './numeric/index.ts';

/** Every verifier that ships with starloop, in the order `verifiers list` shows them. */
export const builtinVerifiers: readonly AnyVerifier[] = [exactMatch, numeric, math, pythonTests, jsTests, command];

/** A fresh registry with the built-ins; plug-ins are registered on top of it. */
export function createVerifierRegistry(extra: Iterable<AnyVerifier> = []): VerifierRegistry {
  const registry = new VerifierRegistry(builtinVerifiers);
  for (const verifier of extra) registry.register(verifier);
  return registry;
}
