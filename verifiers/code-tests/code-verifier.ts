import { z } from 'zod';
import type { Problem } from '../../src/schema/problem.ts';
import { type VerdictResult, type VerifierDefinition, defineVerifier } from '../../src/verify/define.ts';
import { type Runtime, type Sandbox, type SandboxMode, type SandboxOutcome, TestMode, createSandbox, detectIsolation, requireIsolation } from '../../src/sandbox/index.ts';
import { type CodeLanguage, codeHash, extractCode } from './extract-code.ts';

export const CodeTestsOptions = z
  .object({
    /** Wall-clock limit of one run in the sandbox (CPU seconds follow it). */
    timeoutMs: z.number().int().min(100).max(120_000).default(5_000),
    memoryMb: z.number().int().min(32).max(16_384).default(512),
    maxOutputBytes: z.number().int().min(1_024).max(64 * 1024 * 1024).default(1024 * 1024),
    /** Refuse to run without bubblewrap instead of falling back to weaker isolation. */
    strict: z.boolean().default(false),
    /** `pool` (pre-forked workers) or `one-shot` (a fresh sandbox per run). */
    mode: z.enum(['pool', 'one-shot']).default('pool'),
    /**
     * `separate-process`: the tests run in their own process and reach the program only through
     * data. `in-process` (weaker; set per problem for tests that need the program's own objects,
     * such as classes to subclass or callbacks): the program can reach and forge its tests.
     */
    testMode: TestMode.default('separate-process'),
  })
  .strict();
export type CodeTestsOptions = z.output<typeof CodeTestsOptions>;

/**
 * The verifier's own limit. The sandbox enforces `timeoutMs` from the moment a task starts, so
 * this only catches a sandbox that stopped answering: waiting for a free slot behind a long queue
 * must not turn correct programs into `error`.
 */
export const CODE_VERIFIER_TIMEOUT_MS = 24 * 3_600_000;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function lastLines(text: string, count = 6): string {
  return text.trim().split('\n').slice(-count).join('\n').slice(-800);
}

const DEFINITION: Record<CodeLanguage, (name: string) => RegExp> = {
  python: (name) => new RegExp(`^\\s*(?:async\\s+)?def\\s+${name}\\s*\\(`, 'm'),
  javascript: (name) => new RegExp(`\\bfunction\\s*\\*?\\s*${name}\\s*\\(|\\b(?:const|let|var)\\s+${name}\\s*=`),
};

/**
 * Completion-style answers (HumanEval with a base model) continue the prompt: when the prompt
 * itself defines the entry point and the answer does not, the program is prompt + answer.
 */
function completePrompt(problem: Problem, code: string, language: CodeLanguage): string {
  const { entryPoint, prompt } = problem;
  if (!entryPoint || typeof prompt !== 'string') return code;
  const defines = DEFINITION[language](entryPoint);
  if (defines.test(code) || !defines.test(prompt)) return code;
  return `${prompt.endsWith('\n') ? prompt : `${prompt}\n`}${code}`;
}

const MODE_NOTE: Record<TestMode, string> = {
  'separate-process': 'tests in a separate process',
  'in-process': 'in-process tests: weaker, the program could reach its tests',
};

/** Why a run did not pass, in words a researcher reading a verdict log can act on. */
function failureReason(outcome: SandboxOutcome, options: CodeTestsOptions): string {
  const detail = lastLines(outcome.testFailure ?? '') || lastLines(outcome.stderr);
  const suffix = detail ? `:\n${detail}` : '';
  if (outcome.outputExceeded) return `output limit exceeded (${options.maxOutputBytes} bytes)`;
  if (outcome.signal === 'SIGXCPU' || outcome.exitCode === 128 + 24) return 'CPU time limit exceeded';
  if (outcome.timedOut && outcome.testsPassed) return `time limit exceeded (${options.timeoutMs} ms wall): the tests passed, but the program kept running after them (a timer, a promise chain or a thread left behind)`;
  if (outcome.timedOut) return `time limit exceeded (${options.timeoutMs} ms wall)${suffix}`;
  if (outcome.signal) return `killed by ${outcome.signal}${outcome.testsPassed ? ' after the tests passed' : ''}${suffix}`;
  if (!outcome.testsPassed) return `tests failed${suffix}`;
  return `the tests passed, but the program then exited with status ${outcome.exitCode}${lastLines(outcome.stderr) ? `:\n${lastLines(outcome.stderr)}` : ''}`;
}

/** Builds `python-tests` / `js-tests`: extract the program, run it with the problem's tests in the sandbox. */
export function createCodeTestsVerifier(spec: {
  id: string;
  description: string;
  language: CodeLanguage;
  runtime: Runtime;
}): VerifierDefinition<typeof CodeTestsOptions> {
  const sandboxes = new Map<SandboxMode, Sandbox>();
  const sandboxFor = (mode: SandboxMode) => {
    let sandbox = sandboxes.get(mode);
    if (!sandbox) sandboxes.set(mode, (sandbox = createSandbox({ mode })));
    return sandbox;
  };

  return defineVerifier({
    id: spec.id,
    description: spec.description,
    version: '2',
    options: CodeTestsOptions,
    timeoutMs: CODE_VERIFIER_TIMEOUT_MS,
    // Probing bubblewrap starts a sandbox once; done here, the first tasks do not queue behind it.
    async warmUp() {
      await detectIsolation();
    },
    async verify(problem, candidate, options, context): Promise<VerdictResult> {
      if (!problem.tests?.trim()) return { status: 'error', reason: `problem '${problem.id}' has no tests to run` };
      if (problem.entryPoint !== undefined && !IDENTIFIER.test(problem.entryPoint)) {
        return { status: 'error', reason: `problem '${problem.id}' has an invalid entryPoint '${problem.entryPoint}'` };
      }
      const code = extractCode(candidate, spec.language);
      if (!code.trim()) return { status: 'unparseable', reason: `no ${spec.language} code in the answer` };
      const program = completePrompt(problem, code, spec.language);
      const extracted = codeHash(program);
      await requireIsolation(options.strict);
      const outcome = await sandboxFor(options.mode).run({
        runtime: spec.runtime,
        code: program,
        tests: problem.tests,
        ...(problem.entryPoint ? { entryPoint: problem.entryPoint } : {}),
        testMode: options.testMode,
        limits: { wallMs: options.timeoutMs, memoryMb: options.memoryMb, maxOutputBytes: options.maxOutputBytes },
        signal: context.signal,
      });
      const mode = `[${MODE_NOTE[outcome.testMode]}]`;
      if (outcome.sandboxFailure) return { status: 'error', reason: `sandbox failure: ${outcome.sandboxFailure}`, extracted };
      if (outcome.passed) return { status: 'correct', reason: `all tests passed (${Math.round(outcome.durationMs)} ms) ${mode}`, extracted };
      return { status: 'incorrect', reason: `${failureReason(outcome, options)} ${mode}`, extracted };
    },
    async dispose() {
      const all = [...sandboxes.values()];
      sandboxes.clear();
      await Promise.all(all.map((sandbox) => sandbox.dispose()));
    },
  });
}
