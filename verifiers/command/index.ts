import { execa } from 'execa';
import { z } from 'zod';
import { formatIssues } from '../../src/schema/format-issues.ts';
import { VerdictStatus } from '../../src/schema/verdict.ts';
import { defineVerifier, type VerdictResult } from '../../src/verify/define.ts';

const MAX_STDOUT_BYTES = 1024 * 1024;
const STDERR_TAIL_CHARS = 400;

const CommandOptions = z
  .object({
    /** argv array (no shell), or one string run by `/bin/sh -c`. */
    command: z.union([z.array(z.string().min(1)).min(1), z.string().min(1)]),
    timeoutMs: z.number().int().positive().default(30_000),
    /** Working directory of the program; relative program paths resolve against it. */
    cwd: z.string().optional(),
    /** Variables to give the program on top of PATH, HOME and LANG; nothing else is inherited. */
    env: z.record(z.string(), z.string()).default({}),
  })
  .strict();
type CommandOptions = z.output<typeof CommandOptions>;

/** What the program prints on stdout. */
export const CommandVerdict = z.object({
  status: VerdictStatus,
  score: z.number().min(0).max(1).optional(),
  reason: z.string().optional(),
  extracted: z.string().optional(),
});
export type CommandVerdict = z.infer<typeof CommandVerdict>;

/** Any language as a verifier: problem and candidate as JSON on stdin, a verdict as JSON on stdout. */
export const command = defineVerifier({
  id: 'command',
  description: 'External program: reads {"problem","candidate"} JSON on stdin, prints a verdict JSON on stdout',
  version: '1.0.0',
  options: CommandOptions,
  timeoutMs: 60_000,
  async verify(problem, candidate, options, context) {
    const outcome = await runProgram(options, JSON.stringify({ problem, candidate }), context.signal);
    return judgeOutcome(outcome, options.timeoutMs);
  },
});

interface ProgramOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  failure?: 'timeout' | 'aborted' | 'stdout-overflow' | 'spawn';
  spawnError?: string;
}

/** Only what a program needs to run: the parent's secrets (API keys) never reach it. */
function minimalEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  if (process.env.HOME) env.HOME = process.env.HOME;
  env.LANG = process.env.LANG ?? 'C.UTF-8';
  return { ...env, ...extra };
}

async function runProgram(options: CommandOptions, input: string, signal: AbortSignal): Promise<ProgramOutcome> {
  const [file, args] = typeof options.command === 'string' ? ['/bin/sh', ['-c', options.command]] : [options.command[0], options.command.slice(1)];
  // Its own process group (detached), so a time-out kills the program and everything it started.
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    env: minimalEnv(options.env),
    extendEnv: false,
    detached: true,
    input,
    timeout: options.timeoutMs,
    cancelSignal: signal,
    killSignal: 'SIGKILL',
    maxBuffer: { stdout: MAX_STDOUT_BYTES },
    // Only stderr's tail is kept (below): a chatty program is not stopped for its logs.
    buffer: { stdout: true, stderr: false },
    stripFinalNewline: false,
    reject: false,
  });
  let stderr = '';
  subprocess.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS * 4);
  });
  // Background processes left by the program, finished or stopped, go with it: they may hold stdout open.
  subprocess.once('exit', () => killGroup(subprocess.pid));
  const result = await subprocess;
  const failure: ProgramOutcome['failure'] = result.isMaxBuffer
    ? 'stdout-overflow'
    : result.timedOut
      ? 'timeout'
      : result.isCanceled
        ? 'aborted'
        : result.exitCode === undefined && result.signal === undefined
          ? 'spawn'
          : undefined;
  return {
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    stderr,
    exitCode: result.exitCode ?? null,
    signal: (result.signal as NodeJS.Signals | undefined) ?? null,
    failure,
    ...(failure === 'spawn' ? { spawnError: result.originalMessage ?? result.shortMessage } : {}),
  };
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function judgeOutcome(outcome: ProgramOutcome, timeoutMs: number): VerdictResult {
  const stderrTail = outcome.stderr.trim().slice(-STDERR_TAIL_CHARS);
  const withStderr = (text: string) => (stderrTail ? `${text}; stderr: ${stderrTail}` : text);
  switch (outcome.failure) {
    case 'spawn':
      return { status: 'error', reason: `command could not start: ${outcome.spawnError}` };
    case 'timeout':
      return { status: 'error', reason: `command timed out after ${timeoutMs} ms; its process group was killed` };
    case 'aborted':
      return { status: 'error', reason: 'command was stopped when the verifier time limit passed' };
    case 'stdout-overflow':
      return { status: 'error', reason: `command printed more than ${MAX_STDOUT_BYTES} bytes on stdout` };
  }
  if (outcome.exitCode !== 0) {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`;
    return { status: 'error', reason: withStderr(`command ${how}`) };
  }
  const json = parseJsonOutput(outcome.stdout);
  if (json === undefined) {
    const shown = outcome.stdout.trim().slice(0, 200);
    return { status: 'error', reason: withStderr(shown ? `command output is not JSON: ${shown}` : 'command printed nothing on stdout') };
  }
  const verdict = CommandVerdict.safeParse(json);
  if (!verdict.success) return { status: 'error', reason: `command printed an invalid verdict: ${formatIssues(verdict.error).replace(/\n/g, '; ')}` };
  const { status, score, reason, extracted } = verdict.data;
  return {
    status,
    ...(score !== undefined ? { score } : {}),
    reason: reason ?? `command judged ${status}`,
    ...(extracted !== undefined ? { extracted } : {}),
  };
}

/** The whole output as JSON, else its last non-empty line: programs may log before the verdict. */
function parseJsonOutput(stdout: string): unknown {
  const attempts = [stdout.trim(), stdout.trim().split('\n').filter((line) => line.trim() !== '').pop() ?? ''];
  for (const text of attempts) {
    if (text === '') continue;
    try {
      return JSON.parse(text);
    } catch {
      // Try the next reading.
    }
  }
  return undefined;
}
