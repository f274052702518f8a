import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import type { CommandTrainConfig } from '../config/schema.ts';
import type { StepsSchedule } from '../config/steps-schema.ts';
import { AbortedError, TrainerError } from '../errors.ts';
import type { PolicyRef } from '../schema/training.ts';
import { formatIssues } from '../schema/format-issues.ts';
import { stepsForRound } from './steps.ts';
import type { Trainer, TrainRequest } from './trainer.ts';

/** The line a training command prints last on stdout to say what it produced. */
const CommandResult = z.object({ model: z.string().min(1), checkpoint: z.string().min(1).optional() }).strict();

const tailLines = 20;
const killGraceMs = 5_000;

/** Single-quotes a value for /bin/sh, so paths and model ids with spaces or quotes stay one word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const refText = (ref: PolicyRef) => ref.checkpoint ?? ref.model;

export function renderCommand(template: string, request: TrainRequest, schedule?: StepsSchedule): string {
  const values: Record<string, string> = {
    // Absolute, so the command may change directory and still find them.
    dataset: resolve(request.datasetPath),
    base: refText(request.base),
    start: refText(request.start),
    round: String(request.round),
    outDir: resolve(request.outDir),
  };
  if (schedule !== undefined) values.steps = String(stepsForRound(schedule, request.round));
  return template.replace(/\{(dataset|base|start|round|outDir|steps)\}/g, (whole, name: string) => (values[name] === undefined ? whole : shellQuote(values[name])));
}

/**
 * Runs the user's training command (TRL, axolotl, LLaMA-Factory, unsloth...) through /bin/sh, in
 * starloop's working directory.
 * Its output is streamed as progress; its last stdout line must be `{"model": ..., "checkpoint"?: ...}`.
 */
export function createCommandTrainer(config: CommandTrainConfig): Trainer {
  return {
    id: 'command',
    train: (request) => runCommand(config, request),
  };
}

async function runCommand(config: CommandTrainConfig, request: TrainRequest): Promise<PolicyRef> {
  if (request.signal?.aborted) throw new AbortedError('training interrupted');
  const command = renderCommand(config.command, request, config.steps);
  await mkdir(request.outDir, { recursive: true });
  // Run from the directory starloop was started in, as the user typed the command there: a
  // relative `python train.py` finds the script. Its own process group, so a timeout or
  // interrupt stops whatever the command started too.
  const child = execa('/bin/sh', ['-c', command], { cwd: process.cwd(), detached: true, stdin: 'ignore', buffer: false, reject: false });
  const tail: string[] = [];
  let lastStdout: string | undefined;
  const remember = (line: string) => {
    tail.push(line);
    if (tail.length > tailLines) tail.shift();
    request.onProgress?.({ stage: 'log', message: line });
  };
  const streamsDone = Promise.all([
    (async () => {
      for await (const line of child.iterable({ from: 'stdout' })) {
        if (line.trim() !== '') lastStdout = line;
        remember(line);
      }
    })(),
    (async () => {
      for await (const line of child.iterable({ from: 'stderr' })) remember(line);
    })(),
  ]);

  // The command's whole process group is stopped, not only the shell: what it started goes too.
  let stoppedBecause: 'timeout' | 'abort' | 'exited' | undefined;
  const stop = (why: 'timeout' | 'abort' | 'exited') => {
    if (stoppedBecause) return;
    stoppedBecause = why;
    killGroup(child.pid, 'SIGTERM');
    setTimeout(() => killGroup(child.pid, 'SIGKILL'), killGraceMs).unref();
  };
  const timer = setTimeout(() => stop('timeout'), config.timeoutMs);
  const onAbort = () => stop('abort');
  request.signal?.addEventListener('abort', onAbort, { once: true });
  // What the command left running in its group (a logger's daemon, a stray `&`) would hold its
  // output open, so the streams would never end: it goes with the command.
  child.once('exit', () => stop('exited'));

  const exit = await child;
  clearTimeout(timer);
  request.signal?.removeEventListener('abort', onAbort);
  stop('exited');
  await streamsDone.catch(() => undefined);

  const lastOutput = () => (tail.length > 0 ? `\nlast output:\n${tail.map((l) => `  ${l}`).join('\n')}` : ' (it printed nothing)');
  if (stoppedBecause === 'abort') throw new AbortedError('training interrupted');
  if (exit.exitCode === undefined && exit.signal === undefined) throw new TrainerError(`could not start the training command: ${exit.originalMessage ?? exit.shortMessage}`);
  if (stoppedBecause === 'timeout') throw new TrainerError(`the training command ran over its ${config.timeoutMs} ms time limit and was stopped${lastOutput()}`, { code: 'TRAINER_TIMEOUT' });
  if (exit.exitCode !== 0) {
    const how = exit.exitCode === undefined ? `was killed by ${exit.signal}` : `exited with status ${exit.exitCode}`;
    throw new TrainerError(`the training command ${how}${lastOutput()}`);
  }
  return parseResult(lastStdout, lastOutput);
}

function parseResult(line: string | undefined, lastOutput: () => string): PolicyRef {
  const expected = 'its last stdout line must be JSON like {"model": "my-model", "checkpoint": "/path/optional"}';
  if (line === undefined) throw new TrainerError(`the training command printed nothing on stdout; ${expected}${lastOutput()}`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new TrainerError(`the training command's last stdout line is not JSON; ${expected}${lastOutput()}`);
  }
  const result = CommandResult.safeParse(value);
  if (!result.success) throw new TrainerError(`the training command's result line does not parse (${formatIssues(result.error).replace(/\n/g, '; ')}); ${expected}`);
  return result.data;
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
