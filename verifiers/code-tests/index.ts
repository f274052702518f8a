import { createCodeTestsVerifier } from './code-verifier.ts';

export { CodeTestsOptions } from './code-verifier.ts';

/** Runs the answer's Python program with the problem's tests (asserts or HumanEval `check`) in the OS sandbox. */
export const pythonTests = createCodeTestsVerifier({
  id: 'python-tests',
  description: "Extracts the Python program from the answer and runs it with the problem's tests in the sandbox (/usr/bin/python3)",
  language: 'python',
  runtime: 'python',
});

/** Runs the answer's JavaScript program with the problem's tests (node:assert as `assert`) in the OS sandbox. */
export const jsTests = createCodeTestsVerifier({
  id: 'js-tests',
  description: "Extracts the JavaScript program from the answer and runs it with the problem's tests in the sandbox (node, `assert` = node:assert/strict)",
  language: 'javascript',
  runtime: 'node',
});
