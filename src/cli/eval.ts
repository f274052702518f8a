import type { Command } from 'commander';
import { basePolicyRef } from '../policy/create.ts';
import type { PolicyRef } from '../schema/training.ts';
import { runEvaluation } from '../pipeline/run-eval.ts';
import { undecidedText } from '../pipeline/verdict-health.ts';
import { assertEmbeddedPolicy, checkpointFlag } from './checkpoint-flag.ts';
import { FLAG_KEYS, interruptSignal, loadRegistry, loadRunConfig } from './config-source.ts';
import { collect, positiveInteger, rejudgeKind, writeJson } from './options.ts';
import { addEventOptions, type EventOutputFlags, eventOutput } from './event-output.ts';

interface EvalFlags extends EventOutputFlags {
  config?: string;
  model?: string;
  checkpoint?: string;
  k?: number;
  out?: string;
  set?: string[];
  json?: boolean;
  quiet?: boolean;
  rejudge?: 'errors';
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function registerEval(program: Command): void {
  const command = program
    .command('eval')
    .description("evaluate one policy on the config's eval split (pass@1, pass@k, maj@k, per group)")
    .option('-c, --config <file>', 'run config (default: the built-in offline demo)')
    .option('--model <id>', 'model id to evaluate (default: the config policy model)')
    .option('--checkpoint <file>', 'embedded checkpoint to evaluate')
    .option('--k <n>', 'samples per problem (overrides eval.k)', positiveInteger('--k'))
    .option('-o, --out <dir>', 'where samples and verdicts are kept (default: runs/<name>-eval)')
    .option('--set <key=value>', 'override a config key (repeatable)', collect)
    .option('--rejudge <what>', "judge the stored verdicts of this kind ('errors') in --out again first", rejudgeKind)
    .option('--json', 'print the metrics as JSON')
    .option('-q, --quiet', 'no progress output');
  addEventOptions(command)
    .addHelpText('after', `
Examples:
  $ starloop eval -c gsm.yaml --model ft:gpt-4o-mini:acme::abc123
  $ starloop eval --checkpoint runs/starloop/round-2/trainer/model.ckpt --k 8`)
    .action(async (flags: EvalFlags) => {
      const { config } = await loadRunConfig(flags, FLAG_KEYS.eval);
      const base = basePolicyRef(config);
      if (flags.checkpoint !== undefined) assertEmbeddedPolicy(config);
      const ref: PolicyRef = flags.checkpoint !== undefined
        ? { model: 'embedded', checkpoint: await checkpointFlag(flags.checkpoint) }
        : flags.model ? { ...base, model: flags.model } : base;
      const registry = await loadRegistry(config);
      const interrupt = interruptSignal();
      const events = eventOutput(flags);
      try {
        const stats = await runEvaluation({
          config, ref, registry, outDir: flags.out ?? `runs/${config.name}-eval`,
          onEvent: events.emit, signal: interrupt.signal,
          ...(flags.rejudge ? { rejudge: flags.rejudge } : {}),
        });
        if (flags.json) return writeJson(stats);
        const lines = [`problems ${stats.problems}  samples ${stats.samples}  pass@1 ${pct(stats.passAt1)}  pass@${stats.k} ${pct(stats.passAtK)}  maj@${stats.k} ${pct(stats.majAtK)}  ${undecidedText(stats)}`];
        for (const [group, m] of Object.entries(stats.byGroup ?? {})) lines.push(`  ${group.padEnd(12)} pass@1 ${pct(m.passAt1)}  pass@${m.k} ${pct(m.passAtK)}  (${m.problems} problems)`);
        process.stdout.write(lines.join('\n') + '\n');
      } finally {
        events.close();
        interrupt.dispose();
      }
    });
}
