import type { Command } from 'commander';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { trainSamplingParams } from '../pipeline/params.ts';
import { sampleProblems } from '../pipeline/sample.ts';
import { renderPrompt } from '../pipeline/prompt.ts';
import { noticeEvent } from '../pipeline/events.ts';
import { runStage } from '../pipeline/stage.ts';
import { basePolicyRef, createPolicy } from '../policy/create.ts';
import { loadProblems } from '../problems/load.ts';
import { Sample } from '../schema/sample.ts';
import { JsonlRecordSink } from '../store/record-sink.ts';
import { stateFile } from '../store/run-store.ts';
import { assertEmbeddedPolicy, checkpointFlag } from './checkpoint-flag.ts';
import { FLAG_KEYS, interruptSignal, loadRunConfig } from './config-source.ts';
import { collect, positiveInteger } from './options.ts';
import { createProgressRenderer } from './progress.ts';

interface SampleFlags {
  config?: string;
  split: string;
  k?: number;
  model?: string;
  checkpoint?: string;
  hint?: boolean;
  out: string;
  set?: string[];
  quiet?: boolean;
}

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('draw k samples per problem into a JSONL file (resumable: samples already in the file are not drawn again)')
    .option('-c, --config <file>', 'run config (default: the built-in offline demo)')
    .option('--split <split>', 'train or eval', 'train')
    .option('--k <n>', 'samples per problem (overrides sampling.k)', positiveInteger('--k'))
    .option('--model <id>', 'sample from this model instead of the config policy model')
    .option('--checkpoint <file>', 'sample from this embedded checkpoint')
    .option('--hint', 'use the rationalization prompt (gold answer as a hint)')
    .requiredOption('-o, --out <file>', 'samples JSONL to append to')
    .option('--set <key=value>', 'override a config key (repeatable)', collect)
    .option('-q, --quiet', 'no progress output')
    .addHelpText('after', `
Examples:
  $ starloop sample -c gsm.yaml --k 16 --out samples.jsonl
  $ starloop verify -p problems/gsm-mini/train.jsonl -s samples.jsonl   # then judge them`)
    .action(async (flags: SampleFlags) => {
      if (flags.split !== 'train' && flags.split !== 'eval') throw new ConfigError(`--split must be train or eval, got '${flags.split}'`);
      const split = flags.split;
      const { config } = await loadRunConfig(flags, FLAG_KEYS.sample);
      const path = split === 'train' ? config.problems.train : config.problems.eval;
      if (!path) throw new ConfigError('the config has no problems.eval file');
      const problems = await loadProblems(path, { format: config.problems.format, split, limit: config.problems.limit });
      const base = basePolicyRef(config);
      if (flags.checkpoint !== undefined) assertEmbeddedPolicy(config);
      const ref = flags.checkpoint !== undefined ? { model: 'embedded', checkpoint: await checkpointFlag(flags.checkpoint) } : flags.model ? { ...base, model: flags.model } : base;
      const policy = await createPolicy(config, ref);
      const emit = createProgressRenderer({ quiet: flags.quiet });
      const interrupt = interruptSignal();
      try {
        await runStage({ emit }, 0, 'sample', { total: problems.length * config.sampling.k, label: 'sample' },
          () => sampleProblems({
            sink: new JsonlRecordSink(resolve(flags.out), Sample, (s) => s.id),
            round: 0, phase: split, policy, problems, k: config.sampling.k, params: trainSamplingParams(config),
            render: (problem) => renderPrompt(config, problem, flags.hint ?? false), hinted: flags.hint ?? false,
            signal: interrupt.signal,
            onNotice: (notice) => emit(noticeEvent(notice)),
            // Beside the samples file: a rerun with the same --out collects batches submitted before.
            state: stateFile(`${resolve(flags.out)}.batch-state.json`),
            onProgress: (done, total, tokens) => emit({ type: 'stage-progress', round: 0, stage: 'sample', done, total, tokens }),
          }),
          ({ samples }) => `${samples} samples in ${flags.out}`);
      } finally {
        interrupt.dispose();
        await policy.close?.();
      }
    });
}
