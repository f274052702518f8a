import type { Command } from 'commander';
import { ProblemFormat } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { checkProblems } from '../problems/check.ts';
import { loadVerifierRegistry } from '../library.ts';
import { collect, writeJson } from './options.ts';

export function registerProblems(program: Command): void {
  const problems = program.command('problems').description('inspect problem files');
  problems
    .command('check')
    .description('parse a problem file as a run would and summarize it; bad lines are listed as file:line')
    .argument('<file>', 'problem file (native JSONL, GSM8K, MATH, HumanEval or MBPP layout)')
    .option('--format <format>', `force a layout: ${ProblemFormat.options.join(', ')}`, 'auto')
    .option('--plugin <module>', 'load a plug-in verifier module, so problems may name it (repeatable)', collect)
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', `
Examples:
  $ starloop problems check problems/gsm-mini/train.jsonl
  $ starloop problems check HumanEval.jsonl --format humaneval --json`)
    .action(async (file: string, flags: { format: string; plugin?: string[]; json?: boolean }) => {
      const format = ProblemFormat.safeParse(flags.format);
      if (!format.success) throw new ConfigError(`--format must be one of ${ProblemFormat.options.join(', ')}, got '${flags.format}'`);
      const registry = await loadVerifierRegistry({ verifiers: flags.plugin ?? [] });
      let summary;
      try {
        summary = await checkProblems(file, { format: format.data, registry });
      } finally {
        await registry.dispose();
      }
      if (flags.json) return writeJson(summary);
      const rows: [string, string][] = [
        ['file', summary.path],
        ['layout', summary.format],
        ['problems', String(summary.count)],
        ['splits', `train ${summary.splits.train}, eval ${summary.splits.eval}, unset ${summary.splits.none}`],
        ['with gold answer', String(summary.withAnswer)],
        ['with tests', String(summary.withTests)],
        ['verifiers', Object.entries(summary.verifiers).map(([id, n]) => `${id} ${n}`).join(', ')],
        ...(summary.verifiers['(config)'] ? [['(config)', `judged by the config's verifier, else the ${summary.format} default: ${summary.defaultVerifier}`] as [string, string]] : []),
      ];
      if (Object.keys(summary.groups).length) rows.push(['groups', Object.entries(summary.groups).map(([g, n]) => `${g} ${n}`).join(', ')]);
      const width = Math.max(...rows.map(([k]) => k.length));
      const notices = summary.notices.map((n) => `note: ${n}\n`).join('');
      process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + `\n${notices}ok: every line parsed, every verifier named exists\n`);
    });
}
