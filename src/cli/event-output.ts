import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError } from '../errors.ts';
import type { EventSink } from '../pipeline/events.ts';
import { number } from './options.ts';
import { createProgressRenderer, progressEveryMs } from './progress.ts';

export interface EventOutputFlags {
  quiet?: boolean;
  jsonEvents?: string;
  progressEvery?: number;
}

/** `--json-events` and `--progress-every`, for the commands that run stages. */
export function addEventOptions(command: Command): Command {
  return command
    .option('--json-events <file>', "append every pipeline event to FILE as one JSON line ('-': stderr, instead of the progress lines)")
    .option('--progress-every <seconds>', 'without a terminal: a progress line per running stage this often (default: STARLOOP_PROGRESS_EVERY, else 30)', number('--progress-every', 0.001, 86_400));
}

/**
 * Where a command's pipeline events go: the human progress lines on stderr (unless --quiet), and
 * with --json-events each event as a JSON line `{"at": ISO time, "type": …, …}` for machines.
 */
export function eventOutput(flags: EventOutputFlags): { emit: EventSink; close(): void } {
  const json = flags.jsonEvents === undefined ? undefined : openJsonEvents(flags.jsonEvents);
  const human = createProgressRenderer({ quiet: flags.quiet || flags.jsonEvents === '-', everyMs: progressEveryMs(flags.progressEvery) });
  return {
    emit(event) {
      human(event);
      json?.write(event);
    },
    close: () => json?.close(),
  };
}

function openJsonEvents(target: string): { write(event: unknown): void; close(): void } {
  let fd: number;
  try {
    fd = target === '-' ? 2 : openSync(target, 'a');
  } catch (error) {
    throw new ConfigError(`--json-events ${target}: cannot open it for writing: ${(error as Error).message}`);
  }
  return {
    // Synchronous, so a line is on disk (and in order) before the pipeline goes on.
    write: (event) => writeSync(fd, `${JSON.stringify({ at: new Date().toISOString(), ...(event as object) })}\n`),
    close: () => {
      if (fd !== 2) closeSync(fd);
    },
  };
}
