import { createCodeTestsVerifier } from '../src/sandbox/code-verifier.ts';

/** Runs the answer's JavaScript program with the problem's tests (node:assert as `assert`) in the OS sandbox. */
export const jsTests = createCodeTestsVerifier({
  id: 'js-tests',
  description: "Extracts the JavaScript program from the answer and runs it with the problem's tests in the sandbox (node, `assert` = node:assert/strict)",
  language: 'javascript',
  runtime: 'node',
});
