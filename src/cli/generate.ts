import type { Command } from 'commander';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GenerateConfig } from '../config/generate-schema.ts';
import { GenerateError, ProblemFileError, RunStoreError } from '../errors.ts';
import { formatDrops, generateProblems } from '../generate/generate.ts';
import { MAY_CHANGE } from '../generate/output-settings.ts';
import { configCost } from '../pipeline/params.ts';
import { basePolicyRef, createPolicy, createTeacherPolicy, teacherPolicyConfig } from '../policy/create.ts';
import { readProblemFile } from '../problems/load.ts';
import { jsonlLines } from '../store/jsonl.ts';
import { acquireRunLock, type RunLock } from '../store/lock.ts';
import { VerifierResolver } from '../verify/resolver.ts';
import { interruptSignal, loadRegistry, loadRunConfig } from './config-source.ts';
import { collect, positiveInteger } from './options.ts';

interface GenerateFlags {
  config: string;
  seeds: string;
  count: number;
  out: string;
  set?: string[];
  quiet?: boolean;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('grow a problem set from seed problems (Self-Instruct for verifiable tasks): the teacher, else the policy, writes new problems from few-shot examples; near-duplicates are filtered out and each kept problem gets an answer (resumable: rerun with the same arguments, or a larger --count, to continue; a rerun that changes what decides which problems are kept is refused)')
    .requiredOption('-c, --config <file>', 'run config: policy (or teacher) writes, generate: sets the filters and answers, prompt and verifier solve and read answers')
    .requiredOption('--seeds <file>', 'seed problems, each with an answer (any problem file layout)')
    .requiredOption('--count <n>', 'new problems wanted in --out (those already there count)', positiveInteger('--count'))
    .requiredOption('-o, --out <file>', 'native problem file to append to; dropped requests go to FILE.drops.jsonl, the settings that decide what is kept to FILE.settings.json')
    .option('--set <key=value>', 'override a config key (repeatable)', collect)
    .option('-q, --quiet', 'no progress output')
    .addHelpText('after', `
Examples:
  $ starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 20 --out grown.jsonl
  $ starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 40 --out grown.jsonl   # 20 more; the first 20 stay
  $ starloop run -c examples/gsm-generate.yaml                     # STaR on the grown set (its problems.train)

A rerun may change ${MAY_CHANGE}; any other change to what decides which problems are kept (generate:
settings, the writer's model, the solver's prompt and sampling, the verifier, the seeds) is refused: restore it, or use another --out.`)
    .action(async (flags: GenerateFlags) => {
      const { config } = await loadRunConfig(flags);
      const writerConfig = teacherPolicyConfig(config) ?? config.policy;
      if (writerConfig.type !== 'openai') {
        throw new GenerateError(
          'GENERATE_WRITER',
          `generate needs an OpenAI-compatible writer (a teacher or policy of type openai); the ${config.teacher ? 'teacher' : 'policy'} is the embedded model, which only knows reversed-digit addition and cannot write problems`,
        );
      }
      if (writerConfig.batch !== false) {
        throw new GenerateError(
          'GENERATE_WRITER',
          `generate writes in batches that each wait for the one before, and the Batch API may take 24 hours per batch: set batch: false on the ${config.teacher ? 'teacher' : 'policy'} for generate`,
        );
      }
      const settings = config.generate ?? GenerateConfig.parse({});
      const seedsPath = resolve(flags.seeds);
      const seeds = await readSeeds(seedsPath);
      const resolver = new VerifierResolver(await loadRegistry(config), config.verifier ?? seeds.defaultVerifier);
      resolver.checkAll(seeds.problems);
      const writer = config.teacher ? (await createTeacherPolicy(config))! : await createPolicy(config, basePolicyRef(config));
      const log = (message: string) => {
        if (!flags.quiet) process.stderr.write(`  ${message}\n`);
      };
      // Shown even with --quiet.
      const warn = (message: string) => process.stderr.write(`  warning: ${message}\n`);
      const out = resolve(flags.out);
      const lock = await lockOutput(out);
      const interrupt = interruptSignal();
      try {
        const summary = await generateProblems({
          config, settings, seeds: seeds.problems, count: flags.count, out, writer, resolver,
          ...(config.verifier === undefined ? { verifier: seeds.defaultVerifier } : {}),
          cost: configCost({ policy: writerConfig }), signal: interrupt.signal, log,
          warn,
          onNotice: (notice) => (notice.level === 'warning' ? warn(notice.message) : log(notice.message)),
        });
        const cost = summary.costUsd === null ? `cost unknown (no price for ${writer.id}; set pricing: on the ${config.teacher ? 'teacher' : 'policy'})` : `cost $${summary.costUsd.toFixed(4)}`;
        process.stderr.write(`writing requests ${summary.requests} · kept ${summary.kept} · dropped ${formatDrops(summary.drops)}\ntokens ${summary.tokens.prompt} prompt + ${summary.tokens.completion} completion · ${cost}\n`);
        process.stdout.write(`${summary.kept} problems in ${flags.out} (${summary.added} new this run)\n`);
      } finally {
        interrupt.dispose();
        lock.release();
        await writer.close?.();
      }
    });
}

/** The seed problems; one that has no answer to show the writer is an error naming its file:line. */
async function readSeeds(path: string): Promise<{ problems: Awaited<ReturnType<typeof readProblemFile>>['problems']; defaultVerifier: string }> {
  let file;
  try {
    file = await readProblemFile(path);
  } catch (error) {
    // The loader lists every bad line; the first one, on one line, is what the user fixes first.
    if (error instanceof ProblemFileError) {
      const lines = error.message.split('\n');
      const bad = lines.filter((line) => line.startsWith(`${path}:`));
      if (bad.length > 0) throw new ProblemFileError(`seeds ${bad[0]}${bad.length > 1 ? ` (and ${bad.length - 1} more bad line${bad.length > 2 ? 's' : ''})` : ''}`, { cause: error });
    }
    throw error;
  }
  const missing = file.problems.findIndex((problem) => problem.answer === undefined || problem.answer.trim() === '');
  if (missing >= 0) {
    let index = 0;
    for await (const { line } of jsonlLines(path)) {
      if (index++ === missing) throw new ProblemFileError(`seeds ${path}:${line}: problem ${file.problems[missing].id} has no answer; every seed is shown to the writer with its answer`);
    }
  }
  return { problems: file.problems, defaultVerifier: file.defaultVerifier };
}

/** One process appends to an output file at a time: two would write the same requests twice. */
async function lockOutput(out: string): Promise<RunLock> {
  await mkdir(dirname(out), { recursive: true });
  await appendFile(out, '');
  try {
    return await acquireRunLock(`${out}.lock`, out);
  } catch (error) {
    if (error instanceof RunStoreError && error.code === 'RUN_LOCKED') {
      throw new RunStoreError('RUN_LOCKED', `${out} is being written by another starloop generate (${error.message.replace(/^run directory \S+ /, '')})`, { cause: error });
    }
    throw error;
  }
}
