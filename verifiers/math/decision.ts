/**
 * The outcome of one comparison: equal, different, or unknown when the checker cannot decide (an
 * unreadable side, too few points where both sides evaluate, units it cannot convert). Unknown is
 * never turned into equal: the verifier reports it as `unparseable` rather than guess.
 */
export type Decision = 'equal' | 'different' | 'unknown';

export function decided(equal: boolean): Decision {
  return equal ? 'equal' : 'different';
}

/** Equal when every item is equal; different as soon as one is different; unknown otherwise. */
export function everyEqual<T>(items: readonly T[], compare: (item: T, index: number) => Decision): Decision {
  let unknown = false;
  for (const [index, item] of items.entries()) {
    const decision = compare(item, index);
    if (decision === 'different') return 'different';
    if (decision === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'equal';
}

/** Equal as soon as one item is equal; different when every item is different; unknown otherwise. */
export function someEqual<T>(items: readonly T[], compare: (item: T, index: number) => Decision): Decision {
  let unknown = false;
  for (const [index, item] of items.entries()) {
    const decision = compare(item, index);
    if (decision === 'equal') return 'equal';
    if (decision === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'different';
}
