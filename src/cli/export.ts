import type { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { ConfigError, RunStoreError } from '../errors.ts';
import { readJsonl } from '../store/jsonl.ts';
import { runLayout } from '../store/layout.ts';
import { DatasetLine, Provenance } from '../schema/dataset.ts';
import { Option } from 'commander';
import { exportPairs, type PairFlags } from './export-pairs.ts';
import { nonNegativeInteger, positiveInteger } from './options.ts';

interface ExportFlags extends PairFlags {
  out?: string;
  pairs?: boolean;
}

/** Rounds of a run directory that have a dataset, ascending. */
function datasetRounds(runDir: string): number[] {
  if (!existsSync(runLayout(runDir).manifest)) throw new RunStoreError('RUN_NOT_FOUND', `${runDir} is not a run directory (no manifest.json)`);
  return readdirSync(runDir)
    .map((name) => /^round-(\d+)$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .filter((round) => existsSync(runLayout(runDir).round(round).dataset))
    .sort((a, b) => a - b);
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('write a round\'s fine-tuning set (OpenAI chat JSONL, read by OpenAI, TRL, axolotl, LLaMA-Factory)')
    .argument('<run>', 'run directory')
    .option('--round <n>', 'which round (default: the latest with a dataset)', nonNegativeInteger('--round'))
    .option('--all', 'every round\'s dataset, concatenated')
    .option('-o, --out <file>', 'write here instead of stdout')
    .option('--provenance', 'write the provenance lines (problem, sample, round, source, verifier) instead')
    .option('--pairs', 'write preference pairs instead: per problem and round, a verified-correct and a verified-incorrect answer to the same prompt (never eval problems)')
    .addOption(new Option('--format <format>', 'preference pair format: TRL\'s prompt/chosen/rejected or OpenAI\'s DPO fine-tuning lines').choices(['trl', 'openai']).default('trl'))
    .option('--per-problem <n>', 'pairs per problem and round at most', positiveInteger('--per-problem'), 1)
    .addOption(new Option('--pick <how>', 'which answers pair up: lowest sample indices, or a random choice seeded by the run seed').choices(['first', 'random']).default('first'))
    .option('--include-unparseable', 'answers with no answer found may be the rejected side too (verifier errors never are)')
    .addHelpText('after', `
Examples:
  $ starloop export runs/gsm-demo --out round-latest.jsonl
  $ starloop export runs/gsm-demo --all --out all-rounds.jsonl
  $ starloop export runs/gsm-demo --round 0 --provenance
  $ starloop export runs/gsm-demo --pairs --all --out pairs.jsonl
  $ starloop export runs/gsm-demo --pairs --format openai --per-problem 2 --out dpo.jsonl`)
    .action(async (runDir: string, flags: ExportFlags) => {
      if (flags.pairs) {
        const { lines, rounds } = await exportPairs(runDir, flags);
        return write(lines, rounds, flags.out, 'pairs');
      }
      if (flags.format !== 'trl' || flags.perProblem !== 1 || flags.pick !== 'first' || flags.includeUnparseable) {
        throw new ConfigError('--format, --per-problem, --pick and --include-unparseable choose preference pairs: add --pairs');
      }
      const available = datasetRounds(runDir);
      if (!available.length) throw new RunStoreError('RUN_NOT_FOUND', `${runDir} has no dataset yet`);
      const rounds = flags.all ? available : [flags.round ?? available[available.length - 1]];
      const lines: string[] = [];
      for (const round of rounds) {
        const layout = runLayout(runDir).round(round);
        if (!existsSync(layout.dataset)) throw new RunStoreError('RUN_NOT_FOUND', `round ${round} of ${runDir} has no dataset (rounds with one: ${available.join(', ')})`);
        const records = flags.provenance ? await readJsonl(layout.provenance, Provenance) : await readJsonl(layout.dataset, DatasetLine);
        for (const record of records) lines.push(JSON.stringify(record));
      }
      await write(lines, rounds, flags.out, 'lines');
    });
}

async function write(lines: string[], rounds: number[], out: string | undefined, what: string): Promise<void> {
  const text = lines.join('\n') + (lines.length ? '\n' : '');
  if (out) {
    await writeFile(out, text, 'utf8');
    process.stderr.write(`${lines.length} ${what} from round${rounds.length > 1 ? 's' : ''} ${rounds.join(', ')} → ${out}\n`);
  } else process.stdout.write(text);
}
