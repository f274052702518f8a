/**
 * Agreement of the `math` verifier with other projects' own checker tests (peer-suites/), one line
 * per suite. A peer's `expected: false` judged correct is a false accept and is always listed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { judgeMath } from '../../../verifiers/math/judge.ts';
import { MathOptions } from '../../../verifiers/math/options.ts';
import { readJsonlSync } from '../../../src/store/jsonl.ts';

const PeerRow = z.object({
  id: z.string(),
  gold: z.string(),
  pred: z.string(),
  expected: z.boolean(),
  options: z.record(z.string(), z.unknown()).default({}),
  verifier: z.string().default('math'),
});

export interface SuiteResult {
  suite: string;
  agree: number;
  total: number;
  falseAccepts: number;
  falseRejects: number;
}

function clip(text: string, length = 70): string {
  const flat = JSON.stringify(text);
  return flat.length > length ? `${flat.slice(0, length - 15)}…${flat.slice(-14)}` : flat;
}

export function runPeerSuites(directory: string, quiet: boolean): SuiteResult[] {
  const files = readdirSync(directory).filter((name) => name.endsWith('.jsonl')).sort();
  const results: SuiteResult[] = [];
  const disagreements: string[] = [];
  for (const file of files) {
    const rows = readJsonlSync(join(directory, file), PeerRow).filter((row) => row.verifier === 'math');
    const result: SuiteResult = { suite: file.replace(/\.jsonl$/, ''), agree: 0, total: rows.length, falseAccepts: 0, falseRejects: 0 };
    for (const row of rows) {
      const verdict = judgeMath(row.gold, row.pred, MathOptions.parse(row.options));
      const got = verdict.status === 'correct';
      if (got === row.expected) {
        result.agree++;
        continue;
      }
      if (got) result.falseAccepts++;
      else result.falseRejects++;
      disagreements.push(`  ${row.id} gold=${clip(row.gold)} pred=${clip(row.pred)} expected=${row.expected} got=${verdict.status}: ${verdict.reason.slice(0, 160)}`);
    }
    results.push(result);
  }
  console.log(`\n${directory}: agreement with each peer suite's own expectations`);
  console.log('  suite                       agreement             peer-false judged correct   peer-true judged not');
  for (const r of results) {
    const share = r.total === 0 ? 'n/a' : `${((100 * r.agree) / r.total).toFixed(1)}% (${r.agree}/${r.total})`;
    console.log(`  ${r.suite.padEnd(26)}  ${share.padEnd(20)}  ${String(r.falseAccepts).padEnd(26)}  ${r.falseRejects}`);
  }
  console.log(`\npeer-suite disagreements (${disagreements.length}):`);
  if (!quiet) for (const line of disagreements) console.log(line);
  return results;
}
