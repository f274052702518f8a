import type { Command } from 'commander';
import { basename, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { compareRuns } from '../report/compare.ts';
import { formatComparison } from '../report/compare-format.ts';
import { readLastRoundEntry, readRoundEntries } from '../report/compare-inputs.ts';
import { writeJson } from './options.ts';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('eval pass@1 side by side with 95% confidence intervals: the rounds of one run, or the last rounds of several')
    .argument('<runs...>', 'one run directory (compare its rounds) or several (compare their last rounds)')
    .option('--json', 'print the comparison as JSON')
    .addHelpText('after', `
Differences are paired per eval problem (the problems both sides evaluated), with a seeded
bootstrap 95% interval and a paired permutation test; a difference is called real only when the
interval excludes 0 and the test agrees at the same level — otherwise it is reported as noise.
The problems that flipped each way (solved = at least one correct sample) are listed, with
McNemar's exact test on them. An eval problem with no sample counts as 0, as in the round summary.

Examples:
  $ starloop compare runs/starloop                          # round 0 vs 1 vs 2 vs 3
  $ starloop compare runs/starloop runs/starloop-control    # STaR vs the same-steps control`)
    .action(async (runDirs: string[], flags: { json?: boolean }) => {
      const entries = runDirs.length === 1 ? await readRoundEntries(runDirs[0]) : await Promise.all(runDirs.map(readLastRoundEntry));
      // Runs named alike (the same config run twice) are told apart by their directories.
      if (runDirs.length > 1 && new Set(entries.map((e) => e.label)).size < entries.length) {
        entries.forEach((entry, i) => (entry.label = `${basename(resolve(runDirs[i]))}${entry.label.slice(entry.label.lastIndexOf(' r'))}`));
      }
      if (entries.length < 2) throw new ConfigError('nothing to compare: need at least two evaluated rounds or runs');
      const result = compareRuns(entries);
      if (flags.json) return writeJson(result);
      process.stdout.write(formatComparison(result) + '\n');
    });
}
