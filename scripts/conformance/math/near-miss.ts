/** The whole near-miss mutation suite: every mutation of every rule-table gold and MATH-500 gold. */
import { math500Golds, ruleTableGolds } from '../../../test/verifiers/math/near-miss/golds.ts';
import { nearMisses, runSuite, type SuiteReport } from '../../../test/verifiers/math/near-miss/suite.ts';

function clip(text: string, length = 60): string {
  const flat = JSON.stringify(text);
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}

function print(name: string, report: SuiteReport, seconds: number): void {
  const kinds = Object.entries(report.byKind).map(([kind, count]) => `${kind} ${count}`).join(', ');
  console.log(`  ${name}: ${report.mutations} near misses of ${report.golds} golds (${seconds.toFixed(1)} s)`);
  console.log(`    by kind: ${kinds}`);
  console.log(`    rejected ${report.rejected} (${report.undecided} as undecided), proved equivalent and accepted ${report.provedEquivalent}, false accepts ${report.falseAccepts.length}`);
  for (const miss of report.falseAccepts) {
    console.log(`    FALSE ACCEPT gold=${clip(miss.gold)} near miss=${clip(miss.mutation.text)} (${miss.mutation.kind}): ${miss.reason.slice(0, 140)}`);
  }
}

/** Runs the suite and returns its counts: mutations judged, false accepts. */
export function runNearMissSuite(datasets: string): { mutations: number; falseAccepts: number } {
  console.log('\nnear-miss mutation suite (a near miss may pass only when evaluation at random points proves it equal):');
  const parts: [string, string[] | undefined][] = [
    ['rule tables (test/verifiers/math/cases)', ruleTableGolds()],
    ['MATH-500 answers', math500Golds(datasets)],
  ];
  let mutations = 0;
  let falseAccepts = 0;
  for (const [name, golds] of parts) {
    if (!golds) {
      console.log(`  ${name}: skipped, ${datasets}math-test.jsonl is absent`);
      continue;
    }
    const started = performance.now();
    const report = runSuite(nearMisses(golds));
    print(name, report, (performance.now() - started) / 1000);
    mutations += report.mutations;
    falseAccepts += report.falseAccepts.length;
  }
  return { mutations, falseAccepts };
}
