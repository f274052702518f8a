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

test('the shared listener leaves with the last child: nothing stays on a caller\'s signal', () => {
  const parent = new AbortController();
  const first = childSignal(parent.signal);
  const second = childSignal(parent.signal);
  first.dispose();
  expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
  second.dispose();
  second.dispose();
  expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
  // A new child after that gets a listener again, and still follows the parent.
  const third = childSignal(parent.signal);
  parent.abort();
  expect(third.signal.aborted).toBe(true);
});
