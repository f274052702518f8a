import { describe, expect, it } from 'vitest';
import { type SandboxReply, outcomeFromReply } from '../../src/sandbox/outcome.ts';

type Reply = Extract<SandboxReply, { started: boolean }>;

function reply(fields: Partial<Reply>): Reply {
  return {
    id: 'a1',
    started: true,
    testsPassed: true,
    failure: null,
    testOutput: '',
    exitCode: 0,
    signal: null,
    timedOut: false,
    outputExceeded: false,
    durationMs: 3,
    stdout: '',
    stderr: '',
    ...fields,
  };
}

// The pass rule: every test passed in the test process AND the candidate process then exited 0 by
// itself within the limits. A sandbox that never started its harness says nothing about the
// candidate: that must become an `error` verdict (sandboxFailure), never `incorrect`.
describe('reading the test process answer', () => {
  it('passes only passed tests followed by a clean exit', () => {
    expect(outcomeFromReply(reply({}), 'separate-process', 'bwrap').passed).toBe(true);
    expect(outcomeFromReply(reply({ exitCode: 1 }), 'separate-process', 'bwrap').passed).toBe(false);
    expect(outcomeFromReply(reply({ exitCode: null, signal: 'SIGRTMIN+3' }), 'separate-process', 'bwrap').passed).toBe(false);
    expect(outcomeFromReply(reply({ timedOut: true, exitCode: null, signal: 'SIGKILL' }), 'separate-process', 'bwrap').passed).toBe(false);
    expect(outcomeFromReply(reply({ outputExceeded: true }), 'separate-process', 'bwrap').passed).toBe(false);
    expect(outcomeFromReply(reply({ testsPassed: false, failure: 'AssertionError' }), 'separate-process', 'bwrap').passed).toBe(false);
  });

  it('reports a launch failure when the candidate never started', () => {
    const outcome = outcomeFromReply(reply({ started: false, testsPassed: false, exitCode: 127, setupError: "PermissionError(13, 'Permission denied')" }), 'separate-process', 'bwrap');
    expect(outcome.passed).toBe(false);
    expect(outcome.sandboxFailure).toContain('Permission denied');
  });

  it("does not blame the launch for time-outs or output floods, which are the candidate's doing", () => {
    expect(outcomeFromReply(reply({ started: false, testsPassed: false, timedOut: true }), 'separate-process', 'bwrap').sandboxFailure).toBeUndefined();
    expect(outcomeFromReply(reply({ started: false, testsPassed: false, outputExceeded: true }), 'separate-process', 'bwrap').sandboxFailure).toBeUndefined();
  });
});
