import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { rejudgeRun } from '../pipeline/run-rejudge.ts';
import type { Phase } from '../store/run-store.ts';
import { loadRegistry } from './config-source.ts';
import { nonNegativeInteger, writeJson } from './options.ts';
import { addEventOptions, type EventOutputFlags, eventOutput } from './event-output.ts';

interface RejudgeFlags extends EventOutputFlags {
  round?: number[];
  split?: Phase;
  json?: boolean;
  quiet?: boolean;
}

function split(value: string): Phase {
  if (value !== 'train' && value !== 'eval') throw new InvalidArgumentError(`--split must be train or eval, got '${value}'`);
  return value;
}

export function registerRejudge(program: Command): void {
  const round = nonNegativeInteger('--round');
  const command = program
    .command('rejudge')
    .argument('<run>', 'run directory')
    .description("judge a run's stored `error` verdicts again (after fixing their cause), keeping the old ones, and recompute its metrics")
    .option('--round <n>', 'only this round (repeatable; default: every round)', (value: string, previous: number[] = []) => [...previous, round(value)])
    .option('--split <split>', 'only train or eval (default: both)', split)
    .option('--json', 'print what was re-judged as JSON')
    .option('-q, --quiet', 'no progress output');
  addEventOptions(command)
    .addHelpText(
      'after',
      `
A re-judged verdict is appended after the one it replaces (marked "rejudged"); the old one stays.
A round whose dataset already went to training keeps it as it was: only its metrics change.
A round not trained yet selects its survivors again on the next starloop run --resume.

Examples:
  $ starloop rejudge runs/gsm-demo                        # every round, both splits
  $ starloop rejudge runs/gsm-demo --round 0 --split eval`,
    )
    .action(async (runDir: string, flags: RejudgeFlags) => {
      const events = eventOutput(flags);
      let done;
      try {
        done = await rejudgeRun({
          runDir,
          loadRegistry,
          ...(flags.round ? { rounds: flags.round } : {}),
          ...(flags.split ? { phases: [flags.split] } : {}),
          onEvent: events.emit,
        });
      } finally {
        events.close();
      }
      if (flags.json) return writeJson(done);
      if (done.length === 0) process.stdout.write('no error verdicts to re-judge\n');
      for (const { round: r, phase, rejudged, now } of done) {
        process.stdout.write(`round ${r} ${phase}: re-judged ${rejudged}: ${now.correct} correct, ${now.incorrect} incorrect, ${now.unparseable} unparseable, ${now.error} error\n`);
      }
    });
}
