import type { Command } from 'commander';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { RunStoreError } from '../errors.ts';
import { readJsonl } from '../store/jsonl.ts';
import { runLayout } from '../store/layout.ts';
import { DatasetLine, Provenance } from '../schema/dataset.ts';
import { nonNegativeInteger } from './options.ts';

interface ExportFlags {
  round?: number;
  all?: boolean;
  out?: string;
  provenance?: boolean;
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
    .addHelpText('after', `
Examples:
  $ starloop export runs/gsm-demo --out round-latest.jsonl
  $ starloop export runs/gsm-demo --all --out all-rounds.jsonl
  $ starloop export runs/gsm-demo --round 0 --provenance`)
    .action(async (runDir: string, flags: ExportFlags) => {
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
      const text = lines.join('\n') + (lines.length ? '\n' : '');
      if (flags.out) {
        await writeFile(flags.out, text, 'utf8');
        process.stderr.write(`${lines.length} lines from round${rounds.length > 1 ? 's' : ''} ${rounds.join(', ')} → ${flags.out}\n`);
      } else process.stdout.write(text);
    });
}
