import { isDeepStrictEqual } from 'node:util';
import { Problem } from '../schema/problem.ts';
import { VerdictStatus } from '../schema/verdict.ts';
import type { AnyVerifier, VerdictResult } from './define.ts';
import { DEFAULT_VERIFY_TIMEOUT_MS, parseVerifierOptions } from './run.ts';
import { verifierReady } from './plugin-host.ts';
import { withTimeLimit } from './time-limit.ts';

/** One input the invariants are checked on; garbage candidates are added to every case's problem. */
export interface ContractCase {
  name?: string;
  problem: Problem;
  candidate: string;
  options?: Record<string, unknown>;
}

export interface ContractCheck {
  name: 'well-formed' | 'never-throws' | 'time-bounded' | 'deterministic' | 'unparseable-never-passes' | 'garbage-never-passes';
  ok: boolean;
  detail: string;
}

export interface ContractCheckOptions {
  /** Limit of one call; the verifier's own `timeoutMs` by default. */
  timeoutMs?: number;
}

/** Candidates no verifier may pass or crash on. */
export const GARBAGE_CANDIDATES: readonly { name: string; text: string }[] = [
  { name: 'empty', text: '' },
  { name: 'whitespace', text: ' \n\t ' },
  // No digits or plausible letters: a user's gold could be any of them.
  { name: 'huge', text: 'the answer might be \\boxed{ or #### or A: or ``` '.repeat(20_000) },
  { name: 'unicode junk', text: '\u0000\uFFFD\u202E\uD800 𝔁² ﷽ \u200B\u{1F4A9}' + '\u0301'.repeat(500) },
  { name: 'unbalanced markup', text: '```python\ndef f(:\n \\boxed{\\frac{1}{ #### <<2*=>> A:' },
];

const DEFAULT_CASES: ContractCase[] = [
  { name: 'plain answer', problem: Problem.parse({ id: 'contract-1', prompt: 'What is 6 * 7?', answer: '42' }), candidate: 'The answer is 42.' },
  { name: 'chat prompt', problem: Problem.parse({ id: 'contract-2', prompt: [{ role: 'user', content: 'Capital of France?' }], answer: 'Paris' }), candidate: 'Paris' },
  { name: 'no gold answer', problem: Problem.parse({ id: 'contract-3', prompt: 'Say anything.' }), candidate: '42' },
];

interface Call {
  label: string;
  problem: Problem;
  candidate: string;
  options: unknown;
  garbage: boolean;
}

type Outcome = { kind: 'verdict'; result: VerdictResult; ms: number } | { kind: 'threw'; error: string; ms: number } | { kind: 'timeout'; ms: number };

/**
 * Runs the invariants every verifier must hold, calling `verify` directly (not through
 * `runVerifier`, which would hide a throw): every call gives a well-formed verdict, never throws,
 * ends within its limit, gives the same verdict twice, and never passes what it cannot parse.
 */
export async function checkVerifierContract(
  verifier: AnyVerifier,
  cases: readonly ContractCase[] = DEFAULT_CASES,
  checkOptions: ContractCheckOptions = {},
): Promise<ContractCheck[]> {
  const timeoutMs = checkOptions.timeoutMs ?? verifier.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const calls = cases.flatMap((c, i): Call[] => {
    const label = c.name ?? `case ${i + 1}`;
    const options = parseVerifierOptions(verifier, c.options ?? {}, `contract ${label}`);
    return [
      { label, problem: c.problem, candidate: c.candidate, options, garbage: false },
      ...GARBAGE_CANDIDATES.map((g) => ({ label: `${label} / ${g.name} candidate`, problem: c.problem, candidate: g.text, options, garbage: true })),
    ];
  });

  const runs: { call: Call; first: Outcome; second: Outcome }[] = [];
  for (const call of calls) {
    const first = await callOnce(verifier, call, timeoutMs);
    const second = await callOnce(verifier, call, timeoutMs);
    runs.push({ call, first, second });
  }
  const threw: string[] = [];
  const slow: string[] = [];
  const malformed: string[] = [];
  const unparseablePassing: string[] = [];
  const garbagePassing: string[] = [];
  let slowest = 0;
  for (const { call, first, second } of runs) {
    for (const outcome of [first, second]) {
      slowest = Math.max(slowest, outcome.ms);
      if (outcome.kind === 'threw') threw.push(`${call.label}: ${outcome.error}`);
      if (outcome.kind === 'timeout') slow.push(call.label);
      if (outcome.kind !== 'verdict') continue;
      const { status, score, reason } = outcome.result;
      if (!isWellFormed(outcome.result)) malformed.push(call.label);
      if (status === 'unparseable' && (score ?? 0) !== 0) unparseablePassing.push(`${call.label} (score ${score})`);
      if (call.garbage && (status === 'correct' || (score ?? 0) > 0)) garbagePassing.push(`${call.label} (${status}: ${String(reason).slice(0, 80)})`);
    }
  }
  const unstable = runs.filter(({ first, second }) => !sameVerdict(first, second)).map(({ call }) => call.label);
  
  return [
    check('never-throws', threw, `${runs.length * 2} calls returned a verdict`),
    check('time-bounded', slow, `slowest call ${slowest.toFixed(0)} ms (limit ${timeoutMs} ms)`, `over ${timeoutMs} ms`),
    check('well-formed', malformed, 'every verdict has a known status, a reason and a score in 0..1', 'bad verdict shape'),
    check('deterministic', unstable, `${runs.length} inputs judged twice alike`, 'different verdicts on the same input'),
    check('unparseable-never-passes', unparseablePassing, 'every unparseable verdict scores 0', 'nonzero score'),
    check('garbage-never-passes', garbagePassing, `${GARBAGE_CANDIDATES.length} garbage candidates per case, none passed`, 'passed'),
  ];
}

function check(name: ContractCheck['name'], failures: string[], okDetail: string, failPrefix = ''): ContractCheck {
  if (failures.length === 0) return { name, ok: true, detail: okDetail };
  const unique = [...new Set(failures)];
  return { name, ok: false, detail: `${failPrefix ? `${failPrefix}: ` : ''}${unique.join('; ')}` };
}

async function callOnce(verifier: AnyVerifier, call: Call, timeoutMs: number): Promise<Outcome> {
  let started = performance.now();
  try {
    await verifierReady(verifier);
    started = performance.now();
    const limited = await withTimeLimit(timeoutMs, (signal) => verifier.verify(call.problem, call.candidate, call.options, { signal, timeoutMs }));
    const ms = performance.now() - started;
    return limited.timedOut ? { kind: 'timeout', ms } : { kind: 'verdict', result: limited.value, ms };
  } catch (error) {
    return { kind: 'threw', error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
  }
}

function isWellFormed(result: VerdictResult): boolean {
  return (
    typeof result === 'object' &&
    result !== null &&
    VerdictStatus.safeParse(result.status).success &&
    typeof result.reason === 'string' &&
    (result.score === undefined || (typeof result.score === 'number' && result.score >= 0 && result.score <= 1)) &&
    (result.extracted === undefined || typeof result.extracted === 'string')
  );
}

/** Same status, score and extraction; reasons may carry timings and are allowed to differ. */
function sameVerdict(a: Outcome, b: Outcome): boolean {
  if (a.kind !== 'verdict' || b.kind !== 'verdict') return a.kind === b.kind;
  return isDeepStrictEqual([a.result.status, a.result.score, a.result.extracted], [b.result.status, b.result.score, b.result.extracted]);
}
