import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { readRunReport } from '../store/run-reader.ts';
import { renderRunHtml } from '../report/run-html.ts';
import { readRunLedger } from '../report/run-ledger.ts';
import { formatRoundTable, formatSpendTable } from '../report/table.ts';
import { writeJson } from './options.ts';

interface ReportFlags {
  json?: boolean;
  html?: string;
  ledger?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('per-round table of a run: pass@1, pass@k, maj@k, coverage, survivors, tokens, time')
    .argument('<run>', 'run directory')
    .option('--json', 'print the report as JSON: {name, rounds: [{round, model, train, eval, timings, wallMs}]}')
    .option('--html <file>', 'also write a self-contained HTML report with charts and the per-problem ledgers')
    .option('--ledger', 'add the per-problem eval ledger (attempts, correct, round first solved, solved then lost)')
    .addHelpText('after', `
Fractions are in [0, 1] in --json and percentages in the table. Entry 0 is the base policy; entry r
evaluates the policy trained in iteration r (its train block is the sampling done with that policy).

Examples:
  $ starloop report runs/gsm-demo
  $ starloop report runs/gsm-demo --json | jq '.rounds[].eval.passAt1'
  $ starloop report runs/gsm-demo --html report.html`)
    .action(async (runDir: string, flags: ReportFlags) => {
      const report = await readRunReport(runDir);
      if (flags.html) {
        await writeFile(flags.html, await renderRunHtml(runDir), 'utf8');
        process.stderr.write(`HTML report → ${flags.html}\n`);
      }
      const ledger = flags.ledger ? await readRunLedger(runDir, 'eval') : undefined;
      if (flags.json) return writeJson(ledger ? { ...report, ledger } : report);
      let text = formatRoundTable(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR });
      const spend = formatSpendTable(report.rounds);
      if (spend) text += `\n\n${spend}`;
      if (ledger) {
        const lost = ledger.problems.filter((p) => p.solvedThenLost).map((p) => p.problemId);
        const neverSolved = ledger.problems.filter((p) => p.firstSolvedRound === null).length;
        text += `\neval ledger: ${ledger.problems.length} problems, ${neverSolved} never solved, ${lost.length} solved then lost`;
        if (lost.length) text += ` (${lost.slice(0, 10).join(', ')}${lost.length > 10 ? ', …' : ''})`;
      }
      process.stdout.write(text + '\n');
    });
}
