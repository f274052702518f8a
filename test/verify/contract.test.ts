import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Problem } from '../../src/schema/problem.ts';
import { checkVerifierContract, type ContractCase } from '../../src/verify/contract.ts';
import { builtinVerifiers } from '../../verifiers/index.ts';

const judgeProgram = resolve(import.meta.dirname, '../fixtures/verifiers/judge-program.mjs');

/** Options a verifier cannot run without; the others use their defaults. */
const requiredOptions: Record<string, Record<string, unknown>> = {
  command: { command: [process.execPath, judgeProgram, 'grade'], timeoutMs: 5_000 },
};

function casesFor(id: string): ContractCase[] {
  const options = requiredOptions[id] ?? {};
  const add = Problem.parse({
    id: 'contract-add',
    prompt: 'Write add(a, b) that returns a + b. Then say what add(40, 2) is.',
    answer: '42',
    tests: 'assert add(1, 2) == 3',
    entryPoint: 'add',
  });
  const noAnswer = Problem.parse({ id: 'contract-empty', prompt: 'Say anything.' });
  return [
    { name: 'answer with code', problem: add, candidate: '```python\ndef add(a, b):\n    return a + b\n```\nThe answer is 42.', options },
    { name: 'no gold, no tests', problem: noAnswer, candidate: 'The answer is 42.', options },
  ];
}

describe('every built-in verifier holds the contract', () => {
  it.each(builtinVerifiers.map((verifier) => [verifier.id, verifier] as const))('%s', async (id, verifier) => {
    const checks = await checkVerifierContract(verifier, casesFor(id));
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.map((check) => check.name)).toEqual(
      expect.arrayContaining(['never-throws', 'time-bounded', 'deterministic', 'unparseable-never-passes', 'garbage-never-passes']),
    );
  });
});
