import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { VerifierResolver } from '../verify/resolver.ts';
import { readProblemFile } from '../problems/load.ts';
import { type Judged, verifyCandidates } from '../pipeline/verify.ts';
import { readJsonl } from '../store/jsonl.ts';
import { parseSetOptions } from '../config/load.ts';
import { loadVerifierPlugin } from '../verify/plugin.ts';
import { createVerifierRegistry } from '../../verifiers/index.ts';
import { collect, positiveInteger, writeJson } from './options.ts';

/** A line of the samples file `starloop verify` reads. */
export const CandidateLine = z.object({
  problemId: z.string().min(1),
  text: z.string(),
  index: z.number().int().nonnegative().optional(),
});
export type CandidateLine = z.infer<typeof CandidateLine>;

interface VerifyFlags {
  problems: string;
  samples: string;
  out?: string;
  verifier?: string;
  option?: string[];
  plugin?: string[];
  concurrency: number;
  json?: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('judge candidate solutions against problems; one verdict line per sample, in input order')
    .requiredOption('-p, --problems <file>', 'problem file (native JSONL, GSM8K, MATH, HumanEval or MBPP layout)')
    .requiredOption('-s, --samples <file>', 'JSONL of {problemId, text, index?} lines')
    .option('-o, --out <file>', 'write verdict lines here instead of stdout')
    .option('--verifier <id>', "verifier for problems that name none (default: the file layout's: MATH → math, HumanEval/MBPP → python-tests, else numeric)")
    .option('--option <key=value>', 'an option of that verifier, e.g. --option relativeTolerance=1e-6 (repeatable)', collect)
    .option('--plugin <module>', 'load a plug-in verifier module first (repeatable)', collect)
    .option('--concurrency <n>', 'verifications in flight', positiveInteger('--concurrency'), 8)
    .option('--json', 'print a JSON summary (counts per status) on stderr-free stdout when --out is given')
    .addHelpText(
      'after',
      `
Verdict lines: {"problemId", "index", "status", "score", "reason", "extracted"}, where status is
correct | incorrect | unparseable | error (a verifier crash or time-out is an error, never a pass).

Examples:
  $ starloop verify -p problems/gsm-mini/eval.jsonl -s answers.jsonl
  $ starloop verify -p humaneval.jsonl -s completions.jsonl --out verdicts.jsonl
  $ starloop verify -p mcq.jsonl -s s.jsonl --verifier exact-match --option choices=ABCD`,
    )
    .action(async (flags: VerifyFlags) => {
      const file = await readProblemFile(flags.problems);
      const verifier = flags.verifier ?? file.defaultVerifier;
      const { problems } = file;
      const byId = new Map(problems.map((p) => [p.id, p]));
      const candidates = await readJsonl(flags.samples, CandidateLine);
      const nextIndex = new Map<string, number>();
      const indices = candidates.map((line, position) => {
        if (!byId.has(line.problemId)) throw new ConfigError(`${flags.samples}:${position + 1}: unknown problemId '${line.problemId}' (not in ${flags.problems})`);
        const index = line.index ?? nextIndex.get(line.problemId) ?? 0;
        nextIndex.set(line.problemId, index + 1);
        return index;
      });
      const plugins = [];
      for (const path of flags.plugin ?? []) plugins.push(await loadVerifierPlugin(path, process.cwd()));
      const registry = createVerifierRegistry(plugins);
      const options = parseSetOptions(flags.option ?? []);
      const resolver = new VerifierResolver(registry, Object.keys(options).length ? { id: verifier, options } : verifier);
      resolver.checkAll(problems);
      let verdicts: Judged[];
      try {
        verdicts = await verifyCandidates(candidates, { problems: byId, resolver, concurrency: flags.concurrency });
      } finally {
        await registry.dispose();
      }
      const lines = verdicts.map((v, i) =>
        JSON.stringify({ problemId: candidates[i].problemId, index: indices[i], status: v.status, score: v.score, reason: v.reason, extracted: v.extracted ?? null }),
      );
      const text = lines.join('\n') + (lines.length ? '\n' : '');
      const counts = { samples: verdicts.length, correct: 0, incorrect: 0, unparseable: 0, error: 0 };
      for (const v of verdicts) counts[v.status]++;
      if (flags.out) {
        await writeFile(flags.out, text, 'utf8');
        if (flags.json) writeJson(counts);
        else process.stderr.write(`${counts.samples} verdicts → ${flags.out}: ${counts.correct} correct, ${counts.incorrect} incorrect, ${counts.unparseable} unparseable, ${counts.error} error\n`);
      } else {
        process.stdout.write(text);
      }
    });
}
