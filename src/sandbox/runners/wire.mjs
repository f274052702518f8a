// Values crossing between the JavaScript candidate process and the test process, as JSON-safe
// data (the counterpart of wire.py). Plain JSON carries null, booleans, finite numbers, strings
// and arrays; everything else is a tagged object {"$": tag, "v": ...}: plain objects (as
// key/value pairs), Maps, Sets, Dates, bigints, undefined, NaN, -0 and the infinities. Anything
// that is not data (a function, a class instance, a Promise) crosses as an opaque reference
// {"$": "ref", "v": id}, so an object's own equality or conversions never reach the tests.
import fs from 'node:fs';

const MAX_DEPTH = 500;

function isPlainObject(value) {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function encodeNumber(value) {
  if (Number.isNaN(value)) return { $: 'number', v: 'NaN' };
  if (value === Infinity) return { $: 'number', v: 'Infinity' };
  if (value === -Infinity) return { $: 'number', v: '-Infinity' };
  if (Object.is(value, -0)) return { $: 'number', v: '-0' };
  return value;
}

/** `refer(value)` turns a non-data value into a reference (or throws). */
export function encode(value, refer, depth = 0) {
  if (depth > MAX_DEPTH) return refer(value);
  const next = (item) => encode(item, refer, depth + 1);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (value === undefined) return { $: 'undefined' };
  if (typeof value === 'bigint') return { $: 'bigint', v: value.toString() };
  if (typeof value !== 'object') return refer(value);
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, index) => next(value[index]));
  if (value instanceof Map) return { $: 'map', v: [...value].map(([k, v]) => [next(k), next(v)]) };
  if (value instanceof Set) return { $: 'set', v: [...value].map(next) };
  if (value instanceof Date) return { $: 'date', v: encodeNumber(value.getTime()) };
  if (isPlainObject(value)) return { $: 'object', v: Object.keys(value).map((key) => [key, next(value[key])]) };
  return refer(value);
}

function decodeNumber(text) {
  const known = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
  if (!(text in known)) throw new TypeError(`bad number ${String(text).slice(0, 40)}`);
  return known[text];
}

/** `resolve(tagged)` turns a {"$": "ref"} into an object of this side. */
export function decode(data, resolve) {
  if (data === null || typeof data === 'boolean' || typeof data === 'string' || typeof data === 'number') return data;
  const next = (item) => decode(item, resolve);
  if (Array.isArray(data)) return data.map(next);
  if (typeof data !== 'object') throw new TypeError('not a wire value');
  switch (data.$) {
    case 'undefined':
      return undefined;
    case 'number':
      return decodeNumber(data.v);
    case 'bigint':
      return BigInt(String(data.v));
    case 'object': {
      const object = {};
      for (const [key, value] of data.v) Object.defineProperty(object, String(key), { value: next(value), enumerable: true, writable: true, configurable: true });
      return object;
    }
    case 'map':
      return new Map(data.v.map(([k, v]) => [next(k), next(v)]));
    case 'set':
      return new Set(data.v.map(next));
    case 'date':
      return new Date(typeof data.v === 'number' ? data.v : decodeNumber(data.v));
    default:
      return resolve(data);
  }
}

/** JSON lines on a blocking descriptor, read and written synchronously. */
export class LineChannel {
  #fd;
  #buffer = Buffer.alloc(0);
  #cap;

  constructor(fd, cap = 16 * 1024 * 1024) {
    this.#fd = fd;
    this.#cap = cap;
  }

  send(message) {
    const data = Buffer.from(`${JSON.stringify(message)}\n`, 'utf8');
    let offset = 0;
    while (offset < data.length) {
      try {
        offset += fs.writeSync(this.#fd, data, offset);
      } catch (error) {
        if (error.code !== 'EAGAIN') throw error;
      }
    }
  }

  /** The next message, or null at end of stream. */
  receive() {
    const chunk = Buffer.alloc(65536);
    let newline = this.#buffer.indexOf(10);
    while (newline < 0) {
      if (this.#buffer.length > this.#cap) throw new ProtocolError(`a message over ${this.#cap} bytes`);
      let read;
      try {
        read = fs.readSync(this.#fd, chunk, 0, chunk.length, null);
      } catch (error) {
        if (error.code === 'EAGAIN') continue;
        if (error.code === 'ECONNRESET') return null;
        throw error;
      }
      if (read === 0) return null;
      this.#buffer = Buffer.concat([this.#buffer, chunk.subarray(0, read)]);
      newline = this.#buffer.indexOf(10);
    }
    const line = this.#buffer.subarray(0, newline).toString('utf8');
    this.#buffer = this.#buffer.subarray(newline + 1);
    try {
      return JSON.parse(line);
    } catch {
      throw new ProtocolError('malformed data');
    }
  }
}

/** The other process stopped answering, answered too much, or broke protocol. */
export class ProtocolError extends Error {
  name = 'ProtocolError';
}
