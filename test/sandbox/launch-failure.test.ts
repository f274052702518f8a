import { describe, expect, it } from 'vitest';
import { STARTED_MARKER, hasPassed, launchFailure } from '../../src/sandbox/outcome.ts';

// A sandbox that never started its harness says nothing about the candidate: that must become an
// `error` verdict (sandboxFailure), never `incorrect`, and only the exact nonce echo passes.
describe('reading the harness signal channel', () => {
  it('reports a launch failure when the harness never said it started', () => {
    expect(launchFailure('', false, false, 'bwrap: Can\'t find source path /runner: Permission denied')).toContain('/runner');
    expect(launchFailure(STARTED_MARKER, false, false, 'Traceback...')).toBeUndefined();
  });

  it('does not blame the launch for time-outs or output floods, which are the candidate\'s doing', () => {
    expect(launchFailure('', true, false, '')).toBeUndefined();
    expect(launchFailure('', false, true, '')).toBeUndefined();
  });

  it('passes only exit 0 with the started marker followed by this run\'s nonce', () => {
    const nonce = 'a1b2c3';
    expect(hasPassed(0, `${STARTED_MARKER}${nonce}\n`, nonce)).toBe(true);
    expect(hasPassed(0, STARTED_MARKER, nonce)).toBe(false);
    expect(hasPassed(0, `${STARTED_MARKER}other\n`, nonce)).toBe(false);
    expect(hasPassed(0, `${nonce}\n`, nonce)).toBe(false);
    expect(hasPassed(1, `${STARTED_MARKER}${nonce}\n`, nonce)).toBe(false);
  });
});
