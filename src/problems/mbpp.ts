import { z } from 'zod';
import { LineIssue, parseRecord, type ProblemFormatReader } from './format.ts';

const MbppLine = z.object({
  task_id: z.union([z.number().int(), z.string().min(1)]),
  prompt: z.string().min(1).optional(),
  text: z.string().min(1).optional(),
  test_list: z.array(z.string().min(1)).min(1),
  test_imports: z.array(z.string()).default([]),
  challenge_test_list: z.array(z.string()).optional(),
  code: z.string().optional(),
});

/**
 * MBPP (Austin et al. 2021), original (`text`) and sanitized (`prompt`) layouts. The task text
 * alone does not name the function, so, as in the paper's prompt, the asserts are shown with it.
 */
export const mbppFormat: ProblemFormatReader = {
  name: 'mbpp',
  defaultVerifier: 'python-tests',
  matches: (keys) => keys.has('task_id') && keys.has('test_list'),
  read(record) {
    const raw = parseRecord(MbppLine, record);
    const task = raw.prompt ?? raw.text;
    if (task === undefined) throw new LineIssue('missing "prompt" or "text" (the task description)');
    const asserts = raw.test_list.join('\n');
    const meta: Record<string, unknown> = { task };
    if (raw.code !== undefined) meta.code = raw.code;
    const entryPoint = entryPointOf(raw.test_list, raw.code);
    return {
      id: `mbpp/${raw.task_id}`,
      prompt: `${task}\nYour code should pass these tests:\n${asserts}`,
      tests: [...raw.test_imports, asserts].join('\n'),
      ...(entryPoint ? { entryPoint } : {}),
      meta,
    };
  },
};

/** Calls that are Python's own, never the function under test. */
const BUILTIN_CALLS = new Set(['set', 'sorted', 'list', 'tuple', 'dict', 'abs', 'round', 'len', 'str', 'int', 'float', 'all', 'any', 'isclose', 'math']);

/**
 * The function the asserts test: the one the reference code defines and the asserts call, else
 * the first call after `assert` that is not a builtin. The sandbox lets the program replace only
 * this name among the tests' globals, so a task whose function is called `sum` (MBPP 126) works.
 */
function entryPointOf(asserts: readonly string[], code: string | undefined): string | undefined {
  const called = asserts.flatMap((line) => [...line.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]));
  const defined = code ? [...code.matchAll(/^def\s+(\w+)\s*\(/gm)].map((m) => m[1]) : [];
  return defined.find((name) => called.includes(name)) ?? called.find((name) => !BUILTIN_CALLS.has(name));
}
