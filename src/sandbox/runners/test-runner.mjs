// Runs a problem's JavaScript tests in the test process against a candidate in another process
// (the counterpart of python_tests.py). fd 0: {tests, entryPoint}; fd 3: the test channel; fd 5:
// the outcome, one JSON object. The tests run in this realm with a frozen `assert`
// (node:assert/strict) and the candidate's top-level names: data as copies, anything else as a
// proxy whose every use is a request to the candidate process. Comparisons run here, on plain
// values; a candidate name never replaces a global the tests rely on, except the entry point.
import assertModule from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { LineChannel, ProtocolError, decode, encode } from './wire.mjs';

const CHANNEL_FD = 3;
const RESULT_FD = 5;
const channel = new LineChannel(CHANNEL_FD);
const proxies = new Map();
const refs = new WeakMap();
let broken;

class CandidateError extends Error {
  name = 'CandidateError';
}

const ERRORS = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError };

function request(message) {
  if (broken) throw new ProtocolError(broken);
  let reply;
  try {
    channel.send(message);
    reply = channel.receive();
  } catch (error) {
    broken = `the test channel failed: ${error.message}`;
    throw new ProtocolError(broken);
  }
  if (reply === null || typeof reply !== 'object') {
    broken = reply === null ? 'the candidate process ended before it answered' : 'the candidate broke protocol';
    throw new ProtocolError(broken);
  }
  if ('ok' in reply) return reply;
  if (reply.stop === true) return reply;
  if (reply.raised && typeof reply.raised === 'object') {
    const Type = Object.hasOwn(ERRORS, reply.raised.type) ? ERRORS[reply.raised.type] : undefined;
    throw Type ? new Type(String(reply.raised.message)) : new CandidateError(`${String(reply.raised.type)}: ${String(reply.raised.message)}`);
  }
  broken = 'the candidate broke protocol';
  throw new ProtocolError(broken);
}

function remote(ref, type) {
  if (proxies.has(ref)) return proxies.get(ref);
  // A proxy's construct trap needs a constructible target, which an arrow function is not.
  // biome-ignore lint/complexity/useArrowFunction: see above
  const target = function () {};
  const proxy = new Proxy(target, {
    apply: (_target, self, args) => call(ref, self, args),
    construct: (_target, args) => fromWire(request({ op: 'construct', target: { $: 'ref', v: ref }, args: args.map(toWire) }).ok),
    get: (_target, name) => {
      if (name === Symbol.iterator) return () => iterate(ref);
      if (name === Symbol.toPrimitive || name === 'toString' || name === 'valueOf') return () => `[candidate ${type}]`;
      if (typeof name === 'symbol' || name === 'then') return undefined;
      return fromWire(request({ op: 'get', target: { $: 'ref', v: ref }, name }).ok);
    },
    set: () => {
      throw new TypeError('the tests cannot change a candidate object in another process');
    },
  });
  proxies.set(ref, proxy);
  refs.set(proxy, ref);
  return proxy;
}

function* iterate(ref) {
  const iterator = fromWire(request({ op: 'iter', target: { $: 'ref', v: ref } }).ok);
  const iteratorRef = refs.get(iterator);
  for (;;) {
    const step = request({ op: 'next', target: { $: 'ref', v: iteratorRef } });
    if (step.stop === true) return;
    yield fromWire(step.ok);
  }
}

function refuse(value) {
  if (refs.has(value)) return { $: 'ref', v: refs.get(value) };
  throw new TypeError(`a ${typeof value} cannot be passed to the candidate as data; tests that hand the candidate callbacks or their own objects need testMode 'in-process'`);
}

function toWire(value) {
  return encode(value, refuse);
}

function fromWire(data) {
  try {
    return decode(data, (tagged) => {
      if (tagged.$ === 'ref' && Number.isInteger(tagged.v)) return remote(tagged.v, String(tagged.type ?? 'object').slice(0, 100));
      throw new TypeError('unexpected value');
    });
  } catch (error) {
    broken = `the candidate answered with malformed data: ${error.message}`;
    throw new ProtocolError(broken);
  }
}

function syncInPlace(target, value) {
  if (Array.isArray(target) && Array.isArray(value)) target.splice(0, target.length, ...value);
  else if (target instanceof Map && value instanceof Map) {
    target.clear();
    for (const [k, v] of value) target.set(k, v);
  } else if (target instanceof Set && value instanceof Set) {
    target.clear();
    for (const item of value) target.add(item);
  } else if (target !== null && typeof target === 'object' && value !== null && typeof value === 'object') {
    for (const key of Object.keys(target)) delete target[key];
    Object.assign(target, value);
  }
}

function call(ref, self, args) {
  const message = { op: 'call', target: { $: 'ref', v: ref }, args: args.map(toWire) };
  if (refs.has(self)) message.self = { $: 'ref', v: refs.get(self) };
  const reply = request(message);
  const result = fromWire(reply.ok);
  for (const [index, data] of Array.isArray(reply.sync) ? reply.sync : []) {
    if (Number.isInteger(index) && index >= 0 && index < args.length) syncInPlace(args[index], fromWire(data));
  }
  return result;
}

function frozenAssert() {
  const copy = (...args) => assertModule(...args);
  for (const key of Object.keys(assertModule)) {
    const value = assertModule[key];
    copy[key] = typeof value === 'function' && key !== 'AssertionError' ? value.bind(assertModule) : value;
  }
  return Object.freeze(copy);
}

function summary(error) {
  if (!(error instanceof Error)) return String(error).slice(0, 300);
  return `${error.stack ?? error}`.slice(-3000) + `\n${error.name}: ${String(error.message).replace(/\s+/g, ' ').slice(0, 300)}`;
}

function report(outcome) {
  fs.writeSync(RESULT_FD, JSON.stringify(outcome));
  process.exit(0);
}

function main() {
  const { tests, entryPoint } = JSON.parse(fs.readFileSync(0, 'utf8'));
  let first;
  try {
    if (JSON.stringify(channel.receive()) !== '{"ready":true}') report({ started: false, failure: 'the candidate process ended before it started' });
    first = channel.receive();
  } catch (error) {
    report({ started: false, failure: String(error.message) });
  }
  if (first?.failed) report({ started: true, failure: `the program failed before the tests ran: ${first.failed.type}: ${first.failed.message}`.slice(0, 2000) });
  if (!first || typeof first.names !== 'object' || first.names === null) report({ started: true, failure: first === null ? 'the candidate process ended before the tests ran' : 'the candidate broke protocol' });
  Object.defineProperty(globalThis, 'assert', { value: frozenAssert(), writable: false, configurable: false, enumerable: true });
  globalThis.require = createRequire(`${process.cwd()}/tests.js`);
  const candidate = {};
  for (const [name, data] of Object.entries(first.names)) {
    if (name in globalThis && name !== entryPoint) continue;
    try {
      candidate[name] = fromWire(data);
    } catch (error) {
      report({ started: true, failure: String(error.message) });
    }
    Object.defineProperty(globalThis, name, { value: candidate[name], writable: true, configurable: true, enumerable: true });
  }
  try {
    vm.runInThisContext(tests, { filename: 'tests.js' });
    // HumanEval style: the tests define check(candidate); plain assert tests need no call.
    const check = globalThis.check;
    if (entryPoint && typeof check === 'function' && !refs.has(check)) {
      if (!Object.hasOwn(candidate, entryPoint)) throw new ReferenceError(`entry point '${entryPoint}' is not defined by the candidate`);
      check(candidate[entryPoint]);
    }
    if (broken) throw new ProtocolError(broken);
    channel.send({ op: 'done' });
  } catch (error) {
    report({ started: true, passed: false, failure: summary(error) });
  }
  report({ started: true, passed: true });
}

main();
