import { Command, CommanderError } from 'commander';
import { StarloopError } from '../errors.ts';
import { toolVersion } from '../package-info.ts';
import { registerCompare } from './compare.ts';
import { registerEval } from './eval.ts';
import { EXIT, exitCodeFor } from './exit-codes.ts';
import { registerExport } from './export.ts';
import { registerGenerate } from './generate.ts';
import { limitHeapGrowth } from './heap-growth.ts';
import { registerInit } from './init.ts';
import { registerProblems } from './problems.ts';
import { registerRejudge } from './rejudge.ts';
import { registerReport } from './report.ts';
import { registerRun } from './run.ts';
import { registerSample } from './sample.ts';
import { registerServe } from './serve.ts';
import { registerVerifiers } from './verifiers.ts';
import { registerVerify } from './verify.ts';

export function buildProgram(): Command {
  const program = new Command('starloop')
    .version(toolVersion())
    .description('STaR / rejection-sampling fine-tuning: sample, verify, rationalize, fine-tune, evaluate — round after round.')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Examples:
  $ starloop run                                  # offline demo on the built-in model (3 rounds)
  $ starloop run -c examples/gsm-demo.yaml        # against an OpenAI-compatible server
  $ starloop run -c gsm.yaml --resume             # continue a run after a crash or kill -9
  $ starloop report runs/gsm-demo                 # per-round table (add --json or --html FILE)
  $ starloop compare runs/a runs/b                # pass rates side by side with confidence intervals

Exit status: 0 ok, 1 unexpected failure, 2 bad input (config, problems, options),
3 run directory problem (locked, exists, changed config), 4 backend failure (server, trainer, sandbox, verdicts mostly errors),
5 budget reached (raise budget.* and resume with --resume), 130 interrupted (resume with --resume).`,
    );
  program.configureOutput({ outputError: (text, write) => write(text) });
  // Set before the subcommands are added, so they inherit it and bad options end in main's exit codes.
  program.exitOverride();
  for (const register of [registerInit, registerRun, registerSample, registerVerify, registerEval, registerGenerate, registerRejudge, registerExport, registerReport, registerCompare, registerProblems, registerVerifiers, registerServe]) {
    register(program);
  }
  return program;
}

/** Runs the CLI and returns the exit status; only here do errors become messages and codes. */
export async function main(argv: readonly string[]): Promise<number> {
  limitHeapGrowth();
  // `starloop report RUN | head` closes stdout early: the reader has what it wanted, so later
  // writes are dropped instead of crashing the command with a stack trace (a run still finishes).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    // A command may set a failing status without throwing (e.g. a verifier test with failed cases).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof StarloopError) {
      process.stderr.write(`starloop: ${error.message}\n`);
      if (process.env.STARLOOP_DEBUG && error.cause) process.stderr.write(`cause: ${String((error.cause as Error)?.stack ?? error.cause)}\n`);
    } else {
      process.stderr.write(`starloop: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    return exitCodeFor(error);
  }
}
