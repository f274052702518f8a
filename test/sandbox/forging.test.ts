import { afterAll, describe, expect, it } from 'vitest';
import { type Runtime, type SandboxMode, createSandbox } from '../../src/sandbox/index.ts';
import { HOSTILE_LIMITS, MODES, expectBubblewrap } from './hostile.ts';

/**
 * Wrong programs that forged a pass when candidate and tests shared one process: each rewrites
 * or reads the tests from inside. With the tests in their own process each must fail, and the
 * same slot must then still judge an honest program right. Every technique here passed before.
 */
interface Forgery {
  runtime: Runtime;
  code: string;
  tests: string;
  entryPoint?: string;
}

const PY_TESTS = 'assert add(2, 3) == 5\nassert add(10, -4) == 6\n';
const JS_TESTS = 'assert.strictEqual(add(2, 3), 5);\nassert.strictEqual(add(10, -4), 6);\n';

const FORGERIES: Record<string, Forgery> = {
  'Python: replacing builtins.exec (the tests are never run)': {
    runtime: 'python',
    code: 'import builtins\nbuiltins.exec = lambda *args, **kwargs: None\ndef add(a, b):\n    return 0\n',
    tests: PY_TESTS,
  },
  'Python: wrapping builtins.compile with optimize=2 (asserts vanish)': {
    runtime: 'python',
    code: [
      'import builtins',
      '_compile = builtins.compile',
      'builtins.compile = lambda source, filename, mode, flags=0, dont_inherit=False, optimize=-1: _compile(source, filename, mode, flags, dont_inherit, 2)',
      'def add(a, b):',
      '    return 0',
    ].join('\n'),
    tests: PY_TESTS,
  },
  "Python: rewriting the harness's test variable through stack frames": {
    runtime: 'python',
    code: [
      'import ctypes, sys',
      'frame = sys._getframe(1)',
      "while frame is not None and 'tests' not in frame.f_locals:",
      '    frame = frame.f_back',
      'if frame is not None:',
      "    frame.f_locals['tests'] = 'pass'",
      '    ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))',
      'def add(a, b):',
      '    return 0',
    ].join('\n'),
    tests: PY_TESTS,
  },
  'Python: returning an object whose __eq__ is always true': {
    runtime: 'python',
    code: 'class Anything:\n    def __eq__(self, other):\n        return True\ndef add(a, b):\n    return Anything()\n',
    tests: PY_TESTS,
  },
  'Python: a str subclass whose __eq__ is always true': {
    runtime: 'python',
    code: 'class Text(str):\n    def __eq__(self, other):\n        return True\n    __hash__ = str.__hash__\ndef add(a, b):\n    return Text("wrong")\n',
    tests: PY_TESTS,
  },
  'Python: reading the tests from frames and answering them': {
    runtime: 'python',
    code: [
      'import ast, sys',
      'def add(a, b):',
      '    frame = sys._getframe(1)',
      '    while frame is not None:',
      "        source = frame.f_locals.get('tests')",
      '        if isinstance(source, str):',
      '            for node in ast.walk(ast.parse(source)):',
      "                if isinstance(node, ast.Compare) and isinstance(node.left, ast.Call) and getattr(node.left.func, 'id', '') == 'add':",
      '                    if [ast.literal_eval(arg) for arg in node.left.args] == [a, b]:',
      '                        return ast.literal_eval(node.comparators[0])',
      '        frame = frame.f_back',
      '    return 0',
    ].join('\n'),
    tests: PY_TESTS,
  },
  'Python: echoing the fd-3 nonce and exiting 0': {
    runtime: 'python',
    code: [
      'import os',
      "data = b''",
      "while not data.endswith(b'\\n'):",
      '    data += os.read(3, 256)',
      'os.write(3, data)',
      'os._exit(0)',
    ].join('\n'),
    tests: PY_TESTS,
  },
  'Python: HumanEval check() neutered through builtins.exec': {
    runtime: 'python',
    code: 'import builtins\nbuiltins.exec = lambda *args, **kwargs: None\ndef square(x):\n    return 0\n',
    tests: 'def check(candidate):\n    assert candidate(3) == 9\n',
    entryPoint: 'square',
  },
  'Python: shadowing a builtin the tests use (def abs)': {
    runtime: 'python',
    code: 'def abs(x):\n    return 0\ndef square(x):\n    return 0\n',
    tests: 'def check(candidate):\n    assert abs(candidate(2.0) - 4.0) < 1e-6\n',
    entryPoint: 'square',
  },
  "JavaScript: replacing require('vm').runInContext": {
    runtime: 'node',
    code: "require('vm').runInContext = () => {};\nfunction add(a, b) { return 0; }",
    tests: JS_TESTS,
  },
  'JavaScript: replacing vm.Script.prototype.runInContext': {
    runtime: 'node',
    code: "require('vm').Script.prototype.runInContext = function () {};\nfunction add(a, b) { return 0; }",
    tests: JS_TESTS,
  },
  'JavaScript: wrapping runInContext to rewrite the asserts': {
    runtime: 'node',
    code: [
      "const vm = require('vm');",
      'const run = vm.runInContext;',
      "vm.runInContext = (code, ...rest) => run(String(code).replace(/assert\\.\\w+\\(/g, 'void ('), ...rest);",
      'function add(a, b) { return 0; }',
    ].join('\n'),
    tests: JS_TESTS,
  },
  'JavaScript: reading the tests through runInContext and answering them': {
    runtime: 'node',
    code: [
      "const vm = require('vm');",
      'const run = vm.runInContext;',
      'const answers = new Map();',
      'vm.runInContext = (code, ...rest) => {',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the candidate's own JavaScript source
      '  for (const [, a, b, expected] of String(code).matchAll(/add\\((-?\\d+), (-?\\d+)\\), (-?\\d+)/g)) answers.set(`${a},${b}`, Number(expected));',
      '  return run(code, ...rest);',
      '};',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the candidate's own JavaScript source
      'function add(a, b) { return answers.get(`${a},${b}`) ?? 0; }',
    ].join('\n'),
    tests: JS_TESTS,
  },
  'JavaScript: patching Math.abs, which the tests use': {
    runtime: 'node',
    code: 'Math.abs = () => 0;\nfunction add(a, b) { return 0; }',
    tests: 'assert.ok(Math.abs(add(2, 3) - 5) < 1e-9);',
  },
  'JavaScript: echoing the fd-3 nonce and exiting 0': {
    runtime: 'node',
    code: "const fs = require('fs');\nconst buffer = Buffer.alloc(256);\nconst read = fs.readSync(3, buffer);\nfs.writeSync(3, buffer.subarray(0, read));\nprocess.exit(0);",
    tests: JS_TESTS,
  },
};

const HONEST: Record<Runtime, Forgery> = {
  python: { runtime: 'python', code: 'def add(a, b):\n    return a + b\n', tests: PY_TESTS },
  node: { runtime: 'node', code: 'function add(a, b) { return a + b; }', tests: JS_TESTS },
};

const sandboxes = new Map<SandboxMode, ReturnType<typeof createSandbox>>();
/** One slot, so the honest program runs where the forgery just ran. */
function oneSlot(mode: SandboxMode) {
  let sandbox = sandboxes.get(mode);
  if (!sandbox) sandboxes.set(mode, (sandbox = createSandbox({ mode, slots: 1, strict: true })));
  return sandbox;
}
afterAll(() => Promise.all([...sandboxes.values()].map((sandbox) => sandbox.dispose())));

describe.each(MODES)('forging a pass (%s)', (mode) => {
  it.each(Object.entries(FORGERIES))('%s fails, and the slot then judges an honest program right', async (_name, forgery) => {
    await expectBubblewrap();
    const forged = await oneSlot(mode).run({ ...forgery, limits: HOSTILE_LIMITS });
    expect(forged.passed, 'a wrong program was judged correct').toBe(false);
    const honest = await oneSlot(mode).run({ ...HONEST[forgery.runtime], limits: HOSTILE_LIMITS });
    expect(honest.passed, JSON.stringify(honest).slice(0, 600)).toBe(true);
  });
});
