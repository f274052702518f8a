import { getEventListeners } from 'node:events';
import { expect, test } from 'vitest';
import { childSignal } from '../../src/openai/signal.ts';

test("a parent's children share one abort listener, and only the open ones follow its abort", () => {
  const parent = new AbortController();
  const children = Array.from({ length: 1_000 }, () => childSignal(parent.signal));
  // One listener however many requests are in flight: adding one per request made each add walk them all.
  expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
  for (const child of children.slice(0, 400)) child.dispose();
  parent.abort('stop');
  expect(children.slice(0, 400).some((child) => child.signal.aborted)).toBe(false);
  expect(children.slice(400).every((child) => child.signal.aborted && child.signal.reason === 'stop')).toBe(true);
  expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  // A child of a parent already aborted starts aborted.
  expect(childSignal(parent.signal).signal.aborted).toBe(true);
});
