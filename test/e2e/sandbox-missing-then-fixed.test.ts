import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BWRAP_ENV, STRICT_ENV } from '../../src/sandbox/index.ts';
import { type Problem, problemText } from '../../src/schema/problem.ts';
import { VerdictRecord } from '../../src/schema/verdict.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { readRunReport } from '../../src/store/run-reader.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, runCli, tempDir, writeConfig } from './cli.ts';

const FUNCTIONS = [
  ['add', 'a, b', 'a + b', 'assert add(2, 3) == 5'],
  ['twice', 'x', '2 * x', 'assert twice(4) == 8'],
  ['last', 'xs', 'xs[-1]', 'assert last([1, 2, 7]) == 7'],
  ['shout', 's', "s.upper() + '!'", "assert shout('hi') == 'HI!'"],
] as const;

function problems(split: 'train' | 'eval', from: number, to: number): Problem[] {
  return FUNCTIONS.slice(from, to).map(([name, args, , tests]) => ({ id: `${split}-${name}`, prompt: `Write a Python function ${name}(${args}).`, tests, split, meta: {} }));
}

let server: OpenAITestServer | undefined;
afterAll(() => server?.close());

/** Strict isolation with bubblewrap gone: every sandbox refuses to start. */
const NO_SANDBOX = { [BWRAP_ENV]: '/nonexistent/bwrap', [STRICT_ENV]: '1' };

/** A python-tests run's files (problems, config) and the scripted server that answers it. */
async function pythonTestsRun() {
  const dir = await tempDir();
  const train = problems('train', 0, 2);
  const evaluation = problems('eval', 2, 4);
  const write = (name: string, list: Problem[]) => writeFile(join(dir, name), list.map((p) => JSON.stringify(p) + '\n').join(''));
  await write('train.jsonl', train);
  await write('eval.jsonl', evaluation);
  // The scripted model answers "… The answer is <gold>." (or "unknown"): a gold that is a fenced block is a program.
  const answers = Object.fromEntries(
    [...train, ...evaluation].map((p) => {
      const [name, args, body] = FUNCTIONS.find(([n]) => p.id.endsWith(`-${n}`))!;
      return [problemText(p), `\n\`\`\`python\ndef ${name}(${args}):\n    return ${body}\n\`\`\`\n`];
    }),
  );
  server ??= await startOpenAIServer({ models: ['base-model'], answers, accuracy: () => 0.6 });
  const config = await writeConfig(
    dir,
    demoConfig(server.url, {
      problems: { train: join(dir, 'train.jsonl'), eval: join(dir, 'eval.jsonl') },
      verifier: 'python-tests',
      rationalize: { enabled: false },
      rounds: 1,
    }),
  );
  const runDir = join(dir, 'run');
  const evalVerdicts = join(runDir, 'round-0', 'eval-verdicts.jsonl');
  return { config, runDir, evalVerdicts, evaluation, server };
}

test('sandbox missing, then fixed: errors counted, exit 4 with the cause; --resume --rejudge errors re-judges them (kept, not rewritten) and exits 0', async () => {
  const { config, runDir, evalVerdicts, evaluation, server } = await pythonTestsRun();
  const broken = await runCli(['run', '-c', config, '--out', runDir], { env: NO_SANDBOX });
  expect(broken.code, broken.stderr).toBe(4);
  expect(broken.stderr).toMatch(/eval .*errors 8/);
  expect(broken.stderr).toMatch(/round 0 eval: 8 of 8 verdicts are errors.*verifier 'python-tests' gave 8 of them, most often \(8×\): .*bubblewrap/);
  expect(broken.stderr).toContain(`starloop run --out ${runDir} --resume --rejudge errors`);
  expect(broken.stderr).not.toMatch(/^\s+at /m);
  const stored = await readJsonl(evalVerdicts, VerdictRecord);
  expect(stored).toHaveLength(8);
  expect(stored.every((v) => v.status === 'error')).toBe(true);
  const requestsBefore = server.requests.length;

  // A plain resume keeps the stored errors, so it stops the same way.
  const plain = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet'], { env: NO_SANDBOX });
  expect(plain.code, plain.stderr).toBe(4);

  // The sandbox is back.
  const fixed = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--rejudge', 'errors']);
  expect(fixed.code, fixed.stderr).toBe(0);
  expect(fixed.stderr).toMatch(/re-judged 8: \d+ correct, \d+ incorrect, \d+ unparseable, 0 error/);

  const all = await readJsonl(evalVerdicts, VerdictRecord);
  expect(all).toHaveLength(16);
  // The old verdicts stay as they were; each new one says what it replaced.
  expect(all.slice(0, 8)).toEqual(stored);
  const rejudged = all.slice(8);
  expect(rejudged.map((v) => v.sampleId).sort()).toEqual(stored.map((v) => v.sampleId).sort());
  for (const verdict of rejudged) {
    expect(verdict.rejudged?.previous).toBe('error');
    expect(['correct', 'incorrect', 'unparseable']).toContain(verdict.status);
  }
  const correct = rejudged.filter((v) => v.status === 'correct').length;
  expect(correct).toBeGreaterThan(0);
  expect(correct).toBeLessThan(8);

  // Round 0's eval was not sampled again: no eval prompt reached the server after the failure.
  const evalPrompts = new Set(evaluation.map(problemText));
  const askedAgain = server.requests.slice(requestsBefore).filter((r) => r.messages?.some((m) => evalPrompts.has(m.content)));
  // Round 1 evaluates the trained model on the same problems; round 0's base model is never asked again.
  expect(askedAgain.every((r) => r.model !== 'base-model')).toBe(true);

  const report = await readRunReport(runDir);
  const round0 = report.rounds[0];
  expect(round0.eval).toMatchObject({ errors: 0, passAt1: correct / 8 });
  expect(round0.eval!.unparseable).toBe(rejudged.filter((v) => v.status === 'unparseable').length);
  expect(round0.train).toMatchObject({ errors: 0 });
  const summary = JSON.parse(await readFile(join(runDir, 'round-0', 'summary.json'), 'utf8')) as { eval: { errors: number; unparseable: number } };
  expect(summary.eval.errors).toBe(0);

  const table = await runCli(['report', runDir]);
  expect(table.stdout).toMatch(/train err\/unp +eval err\/unp/);
  const html = join(runDir, '..', 'report.html');
  expect((await runCli(['report', runDir, '--html', html])).code).toBe(0);
  expect(await readFile(html, 'utf8')).toContain('eval errors');
}, 300_000);

test('starloop rejudge RUN: refuses while the sandbox is still missing, re-judges once it is back; the run then resumes with those verdicts', async () => {
  const { config, runDir, evalVerdicts } = await pythonTestsRun();
  expect((await runCli(['run', '-c', config, '--out', runDir, '--quiet'], { env: NO_SANDBOX })).code).toBe(4);

  const still = await runCli(['rejudge', runDir, '--quiet'], { env: NO_SANDBOX });
  expect(still.code, still.stderr).toBe(4);
  expect(still.stderr).toContain(`fix the cause, then run starloop rejudge ${runDir} again`);
  // Each attempt is kept: 8 errors, then 8 errors again.
  expect(await readJsonl(evalVerdicts, VerdictRecord)).toHaveLength(16);

  const none = await runCli(['rejudge', runDir, '--split', 'train', '--quiet']);
  expect(none.code, none.stderr).toBe(0);
  expect(none.stdout).toBe('no error verdicts to re-judge\n');

  const fixed = await runCli(['rejudge', runDir, '--round', '0', '--split', 'eval', '--quiet']);
  expect(fixed.code, fixed.stderr).toBe(0);
  expect(fixed.stdout).toMatch(/^round 0 eval: re-judged 8: \d+ correct, \d+ incorrect, \d+ unparseable, 0 error\n$/);
  const latest = new Map((await readJsonl(evalVerdicts, VerdictRecord)).map((v) => [v.sampleId, v]));
  expect([...latest.values()].every((v) => v.status !== 'error' && v.rejudged?.previous === 'error')).toBe(true);

  const resumed = await runCli(['run', '-c', config, '--out', runDir, '--resume', '--quiet']);
  expect(resumed.code, resumed.stderr).toBe(0);
  const report = await readRunReport(runDir);
  expect(report.rounds[0].eval?.errors).toBe(0);
}, 300_000);

test('eval with the sandbox missing exits 4; eval --rejudge errors with it back judges the stored samples again', async () => {
  const { config, runDir } = await pythonTestsRun();
  const broken = await runCli(['eval', '-c', config, '--out', runDir, '--quiet'], { env: NO_SANDBOX });
  expect(broken.code, broken.stderr).toBe(4);
  expect(broken.stderr).toContain('run the same starloop eval again with --rejudge errors');
  const fixed = await runCli(['eval', '-c', config, '--out', runDir, '--rejudge', 'errors', '--quiet']);
  expect(fixed.code, fixed.stderr).toBe(0);
  expect(fixed.stdout).toMatch(/^problems 2 {2}samples 8 {2}pass@1 .* {2}unparseable \d+ {2}errors 0$/m);
}, 300_000);
