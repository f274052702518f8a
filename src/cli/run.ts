import type { Command } from 'commander';
import { resolve } from 'node:path';
import { goldControlExamples } from '../embedded/control.ts';
import { ConfigError } from '../errors.ts';
import { runLoop } from '../pipeline/run-loop.ts';
import type { DatasetSource } from '../pipeline/select.ts';
import type { Provenance } from '../schema/dataset.ts';
import { readRunReport } from '../store/run-reader.ts';
import { formatRoundTable } from '../report/table.ts';
import { FLAG_KEYS, interruptSignal, loadRegistry, loadRunConfig } from './config-source.ts';
import { collect, nonNegativeInteger, number, positiveInteger, rejudgeKind, writeJson } from './options.ts';
import { addEventOptions, type EventOutputFlags, eventOutput } from './event-output.ts';
import { printDryRun } from './dry-run.ts';
import { RECIPE_NAMES } from '../recipes/recipes.ts';
import { runRecipe } from './run-recipe.ts';

interface RunFlags extends EventOutputFlags {
  config?: string;
  out?: string;
  rounds?: number;
  resume?: boolean;
  rejudge?: 'errors';
  control?: boolean;
  k?: number;
  temperature?: number;
  concurrency?: number;
  name?: string;
  set?: string[];
  json?: boolean;
  quiet?: boolean;
  dryRun?: boolean;
  recipe?: string;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('run the STaR loop: sample → verify → rationalize → select → train → evaluate, for N rounds')
    .option('-c, --config <file>', 'YAML or JSON run config (default: the built-in offline demo on the embedded model)')
    .option('-o, --out <dir>', 'run directory (default: runs/<name>; with --control the name gets -control)')
    .option('--rounds <n>', 'number of sample→train iterations (overrides rounds)', nonNegativeInteger('--rounds'))
    .option('--resume', 'continue the run in --out; nothing already stored is sampled or verified again')
    .option('--rejudge <what>', "with --resume: judge the stored verdicts of this kind ('errors') again first, e.g. after fixing the sandbox", rejudgeKind)
    .option('--control', 'same-steps control: fine-tune on gold easy examples instead of self-generated ones')
    .option('--k <n>', 'samples per train problem (overrides sampling.k)', positiveInteger('--k'))
    .option('--temperature <t>', 'sampling temperature (overrides sampling.temperature)', number('--temperature', 0, 5))
    .option('--concurrency <n>', 'requests in flight (overrides sampling.concurrency)', positiveInteger('--concurrency'))
    .option('--name <name>', 'run name (overrides name)')
    .option('--set <key=value>', 'override any config key, e.g. --set select.maxPerProblem=2 (repeatable)', collect)
    .option('--json', 'print the run report as JSON on stdout when done')
    .option('-q, --quiet', 'no progress output')
    .option('--recipe <name>', `a built-in experiment of several runs instead of a config (${RECIPE_NAMES.join(', ')}): its runs under --out (default runs/<name>), its settings by --set, e.g. --set seed=1`)
    .option('--dry-run', 'print the requests, samples, tokens and cost the run would spend, per round and stage; send and write nothing (with --json: as JSON)');
  addEventOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  $ starloop run                                   # offline: embedded model, arithmetic set, 3 rounds
  $ starloop run --control                         # the same-steps control arm of that demo
  $ starloop run -c gsm.yaml --out runs/gsm-1      # a config of your own
  $ starloop run -c gsm.yaml --out runs/gsm-1 --resume --rounds 5   # continue, and go further
  $ starloop run -c gsm.yaml --out runs/gsm-1 --resume --rejudge errors   # after fixing what made verdicts errors
  $ starloop run -c gsm.yaml --set sampling.k=16 --set select.dedupe=exact
  $ starloop run -c gsm.yaml --dry-run             # what it would request and cost; sends nothing
  $ starloop run --recipe imitation-ceiling --out runs/ceiling   # teacher, imitation, filtered distillation and STaR, compared`,
    )
    .action(async (flags: RunFlags) => {
      if (flags.recipe !== undefined) return runRecipe(flags);
      if (flags.rejudge && !flags.resume) throw new ConfigError('--rejudge judges the stored verdicts of a run again: add --resume (and the run\'s --out)');
      const { config } = await loadRunConfig(flags, FLAG_KEYS.run);
      if (flags.control && (config.policy.type !== 'embedded' || config.train.type !== 'embedded')) {
        // The control's gold data is the embedded task's easy split; for other models it would be noise.
        throw new ConfigError("--control is the embedded model's same-steps control (gold easy arithmetic); it needs policy.type and train.type embedded");
      }
      // The control arm is its own run; its name says so, in reports and comparisons alike.
      if (flags.control && !flags.name) config.name = `${config.name}-control`;
      const runDir = resolve(flags.out ?? `runs/${config.name}`);
      if (flags.dryRun) return printDryRun(config, { runDir, resume: flags.resume ?? false, json: flags.json ?? false });
      const registry = await loadRegistry(config);
      const interrupt = interruptSignal();
      const events = eventOutput(flags);
      try {
        await runLoop({
          config,
          runDir,
          registry,
          resume: flags.resume,
          ...(flags.rejudge ? { rejudge: flags.rejudge } : {}),
          ...(flags.control ? { datasetSource: goldControlSource(config.seed) } : {}),
          onEvent: events.emit,
          signal: interrupt.signal,
        });
      } finally {
        events.close();
        interrupt.dispose();
      }
      const report = await readRunReport(runDir);
      if (flags.json) writeJson(report);
      else process.stdout.write(`\n${formatRoundTable(report)}\nrun directory: ${runDir}\n`);
    });
}

/** The same-steps control arm: as many gold worked examples of the easy split as the real arm kept. */
function goldControlSource(seed: number): DatasetSource {
  return {
    id: 'gold-control',
    build(survivors, round) {
      const lines = goldControlExamples(survivors.length, seed + round);
      const provenance = lines.map((_, i): Provenance => ({ line: i + 1, problemId: `gold-easy-${i}`, sampleId: null, round, source: 'gold-control', verifier: null }));
      return { lines, provenance };
    },
  };
}
