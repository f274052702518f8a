import { createCodeTestsVerifier } from '../src/sandbox/code-verifier.ts';

/** Runs the answer's Python program with the problem's tests (asserts or HumanEval `check`) in the OS sandbox. */
export const pythonTests = createCodeTestsVerifier({
  id: 'python-tests',
  description: "Extracts the Python program from the answer and runs it with the problem's tests in the sandbox (/usr/bin/python3)",
  language: 'python',
  runtime: 'python',
});
