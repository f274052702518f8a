// The candidate's side of a separate-process test run (the counterpart of candidate_server.py).
// Reads the program on fd 0, runs it as a script in this realm, then answers the test process's
// requests on fd 3, one JSON line each way: call a function, read a property, construct,
// iterate. Results go back as data (wire.mjs). The tests never enter this process and every
// answer is checked on the other side, so a program that rewrites what it finds here can only
// change its own answers. After the tests the process must end by itself: work it left on the
// event loop (a timer, an endless promise chain) keeps it alive past the time limit, and fails it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { LineChannel, decode, encode } from './wire.mjs';

const CHANNEL_FD = 3;
const EXPORT_BYTES = 1024 * 1024;
// Words that cannot name a binding in a sloppy script: probing them would be a syntax error.
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with'.split(' '),
);

const channel = new LineChannel(CHANNEL_FD);
const objects = [];

function refer(value) {
  objects.push(value);
  const type = typeof value === 'function' ? 'function' : (value?.constructor?.name ?? typeof value);
  return { $: 'ref', v: objects.length, type: String(type).slice(0, 100) };
}

function resolve(tagged) {
  if (tagged.$ === 'ref' && Number.isInteger(tagged.v) && tagged.v >= 1 && tagged.v <= objects.length) return objects[tagged.v - 1];
  throw new TypeError('unknown value');
}

const toWire = (value) => encode(value, refer);
const fromWire = (data) => decode(data, resolve);

function describe(error) {
  let message;
  try {
    message = error instanceof Error ? String(error.message) : String(error);
  } catch {
    message = '<unprintable>';
  }
  let type = 'Error';
  try {
    type = error instanceof Error ? String(error.name) : typeof error;
  } catch {
    // keep the generic name
  }
  return { type: type.slice(0, 100), message: message.slice(0, 2000) };
}

function perform(request) {
  const target = fromWire(request.target);
  switch (request.op) {
    case 'call': {
      const args = (request.args ?? []).map(fromWire);
      const self = request.self === undefined ? undefined : fromWire(request.self);
      const result = Reflect.apply(target, self, args);
      // Arguments changed in place (an array sorted, an object filled) travel back to the caller.
      const sync = [];
      args.forEach((arg, index) => {
        if (arg !== null && typeof arg === 'object') {
          const now = toWire(arg);
          if (JSON.stringify(now) !== JSON.stringify(request.args[index])) sync.push([index, now]);
        }
      });
      return { ok: toWire(result), sync };
    }
    case 'construct':
      return { ok: toWire(Reflect.construct(target, (request.args ?? []).map(fromWire))) };
    case 'get':
      return { ok: toWire(target[String(request.name)]) };
    case 'iter':
      return { ok: refer(target[Symbol.iterator]()) };
    case 'next': {
      const step = target.next();
      return step.done ? { stop: true } : { ok: toWire(step.value) };
    }
    default:
      throw new TypeError(`unknown request ${String(request.op)}`);
  }
}

/** Top-level bindings the program made: new global properties, and let/const/class names found by probing. */
function exportsOf(code, pristine) {
  const candidates = new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? []);
  for (const name of Object.getOwnPropertyNames(globalThis)) if (!pristine.has(name)) candidates.add(name);
  const names = [...candidates].filter((name) => !RESERVED.has(name) && !pristine.has(name) && /^[A-Za-z_$][\w$]*$/.test(name));
  const found = [];
  globalThis.__starloopProbe = (name, value) => found.push([name, value]);
  vm.runInThisContext(names.map((name) => `try { __starloopProbe(${JSON.stringify(name)}, ${name}); } catch {}`).join('\n'));
  delete globalThis.__starloopProbe;
  const exported = {};
  for (const [name, value] of found) {
    let data = toWire(value);
    if (JSON.stringify(data).length > EXPORT_BYTES) data = refer(value);
    exported[name] = data;
  }
  return exported;
}

function serve() {
  // Before any candidate code: tells the test process the sandbox itself came up.
  channel.send({ ready: true });
  const code = fs.readFileSync(0, 'utf8');
  const pristine = new Set([...Object.getOwnPropertyNames(globalThis), 'require', 'module', 'exports']);
  const module = { exports: {} };
  Object.assign(globalThis, { require: createRequire(`${process.cwd()}/candidate.js`), module, exports: module.exports });
  try {
    vm.runInThisContext(code, { filename: 'candidate.js' });
  } catch (error) {
    fs.writeSync(2, `${error instanceof Error ? (error.stack ?? String(error)) : String(error)}\n`);
    channel.send({ failed: describe(error) });
    process.exit(1);
  }
  channel.send({ names: exportsOf(code, pristine) });
  for (;;) {
    const request = channel.receive();
    if (request === null) process.exit(1);
    if (request.op === 'done') return;
    let reply;
    try {
      reply = perform(request);
    } catch (error) {
      reply = { raised: describe(error) };
    }
    channel.send(reply);
  }
}

serve();
