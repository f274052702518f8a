// In-process test mode (weaker, chosen per problem): one JavaScript candidate and its tests in one
// process, for tests that need the candidate's own objects. The candidate can reach its tests here
// (it can replace vm.runInContext, read fd 3...), and a verdict from this mode says so; the default
// mode (candidate-server.mjs + test-runner.mjs) keeps the tests in another process. node:vm only
// gives candidate and tests one shared global scope in a fresh realm.
//
// The pass signal is the nonce echo on fd 3, written only after every test ran: a candidate that
// exits early never reaches it. `assert` is a frozen, non-writable global so a candidate cannot
// redefine or stub it, and the harness keeps its own references to exit and fs.
import assertModule from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import vm from 'node:vm';

const SIGNAL_FD = 3;
const exit = process.exit.bind(process);
const readSync = fs.readSync;
const writeSync = fs.writeSync;

function reportFailure(stage, error) {
  const text = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  // The last line is what a verdict's reason shows: the error itself, not stack frames.
  const summary = error instanceof Error ? `${error.name}: ${String(error.message).replace(/\s+/g, ' ').slice(0, 300)}` : text.slice(0, 300);
  try {
    writeSync(2, `\n[starloop] ${stage} failed: ${text.slice(-4000)}\n${summary}\n`);
  } catch {
    // stderr closed by the candidate: the exit status still says it failed
  }
}

function frozenAssert() {
  const copy = (...args) => assertModule(...args);
  for (const key of Object.keys(assertModule)) {
    const value = assertModule[key];
    copy[key] = typeof value === 'function' && key !== 'AssertionError' ? value.bind(assertModule) : value;
  }
  return Object.freeze(copy);
}

function createSandboxGlobals() {
  const module = { exports: {} };
  const context = vm.createContext({
    console,
    require: createRequire(`${process.cwd()}/candidate.js`),
    module,
    exports: module.exports,
    process,
    Buffer,
    URL,
    TextEncoder,
    TextDecoder,
    structuredClone,
    queueMicrotask,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    setImmediate,
    clearImmediate,
  });
  Object.defineProperty(context, 'assert', { value: frozenAssert(), writable: false, configurable: false, enumerable: true });
  return context;
}

function echoNonce() {
  const buffer = Buffer.alloc(256);
  let nonce = '';
  while (!nonce.endsWith('\n')) {
    const read = readSync(SIGNAL_FD, buffer, 0, buffer.length, null);
    if (read === 0) break;
    nonce += buffer.subarray(0, read).toString('utf8');
  }
  writeSync(SIGNAL_FD, nonce);
}

function main() {
  // Before any candidate code: tells the host the sandbox itself came up.
  writeSync(SIGNAL_FD, 'started\n');
  const payload = JSON.parse(fs.readFileSync(0, 'utf8'));
  const context = createSandboxGlobals();
  let stage = 'candidate';
  try {
    vm.runInContext(payload.code, context, { filename: 'candidate.js' });
    stage = 'tests';
    vm.runInContext(payload.tests, context, { filename: 'tests.js' });
    // HumanEval style: the tests define check(candidate); plain assert tests need no call.
    if (payload.entryPoint && /\bcheck\b/.test(payload.tests)) {
      vm.runInContext(`check(${payload.entryPoint});`, context, { filename: 'check.js' });
    }
  } catch (error) {
    reportFailure(stage, error);
    exit(1);
  }
  try {
    echoNonce();
  } catch {
    exit(1);
  }
  exit(0);
}

main();
