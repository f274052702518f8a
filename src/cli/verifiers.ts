import type { Command } from 'commander';
import { resolve } from 'node:path';
import { checkVerifierContract } from '../verify/contract.ts';
import { runGoldenCases } from '../verify/golden.ts';
import { loadVerifierPlugin } from '../verify/plugin.ts';
import { builtinVerifiers, createVerifierRegistry } from '../../verifiers/index.ts';
import { writeJson } from './options.ts';

export function registerVerifiers(program: Command): void {
  const verifiers = program.command('verifiers').description('list verifiers, and test your own');
  verifiers
    .command('list')
    .description('the built-in verifiers (and plug-ins given with --plugin)')
    .option('--plugin <module...>', 'plug-in verifier modules to include')
    .option('--json', 'print as JSON')
    .action(async (flags: { plugin?: string[]; json?: boolean }) => {
      const plugins = await Promise.all((flags.plugin ?? []).map((path) => loadVerifierPlugin(path, process.cwd())));
      const list = createVerifierRegistry(plugins).list().map((v) => ({
        id: v.id,
        version: v.version,
        builtin: builtinVerifiers.includes(v),
        description: v.description,
      }));
      if (flags.json) return writeJson(list);
      const width = Math.max(...list.map((v) => v.id.length));
      process.stdout.write(list.map((v) => `${v.id.padEnd(width)}  ${v.description}${v.builtin ? '' : '  (plug-in)'}`).join('\n') + '\n');
    });
  verifiers
    .command('test')
    .description("check a plug-in verifier: the contract invariants, then your golden cases")
    .argument('<module>', 'the verifier module (TS or JS, exporting defineVerifier(...))')
    .option('--cases <file>', 'JSONL of {problem, candidate, expected, options?} golden cases')
    .option('--json', 'print the results as JSON')
    .addHelpText('after', `
Contract invariants: well-formed verdicts, never throws, time-bounded, deterministic, unparseable
and garbage candidates never pass. Exit status 1 when any check or case fails.

Example:
  $ starloop verifiers test examples/verifiers/physical-quantity.ts --cases examples/verifiers/physical-quantity.cases.jsonl`)
    .action(async (module: string, flags: { cases?: string; json?: boolean }) => {
      const verifier = await loadVerifierPlugin(module, process.cwd());
      const contract = await checkVerifierContract(verifier);
      const golden = flags.cases ? await runGoldenCases(verifier, resolve(flags.cases)) : undefined;
      await verifier.dispose?.();
      const failed = contract.some((c) => !c.ok) || (golden?.summary.failed ?? 0) > 0;
      if (flags.json) writeJson({ verifier: verifier.id, contract, golden });
      else {
        const lines = [`verifier ${verifier.id} (version ${verifier.version})`, 'contract:'];
        for (const check of contract) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}${check.ok ? '' : `: ${check.detail}`}`);
        if (golden) {
          lines.push(`golden cases (${golden.file}): ${golden.summary.passed}/${golden.summary.total} passed`);
          for (const r of golden.results.filter((x) => !x.passed)) {
            lines.push(`  FAIL ${r.where}${r.name ? ` ${r.name}` : ''}: expected ${r.expected}, got ${r.verdict.status} (${r.verdict.reason})`);
          }
        }
        process.stdout.write(lines.join('\n') + '\n');
      }
      if (failed) process.exitCode = 1;
    });
}
