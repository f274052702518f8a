import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadProblems } from '../../src/problems/load.ts';
import { Provenance } from '../../src/schema/dataset.ts';
import { problemText } from '../../src/schema/problem.ts';
import { RoundSummary } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { repoRoot, tempDir } from './cli.ts';
import { helpExamples, runLine, starloopOnPath, writeFiles } from './help-examples.ts';

/**
 * Every `$ starloop …` example of every --help runs as written, in a folder of its own that holds
 * what the example names: `gsm.yaml` (the README's example config, pointed at the test server),
 * `runs/…` (copies of one real run of that config), the repository's `problems/` and `examples/verifiers/`,
 * and the small input files below. A help example without an entry here fails the test.
 */
interface Example {
  /** What the example's folder holds besides `problems/` and `examples/verifiers/`. */
  setup?: (dir: string) => Promise<void>;
  /** The example starts a server: it passes once stdout matches, then is stopped. */
  serves?: RegExp;
  /** A change to the line before it runs, and why it cannot run as written here. */
  rewrite?: { from: string; to: string; why: string };
  stdout?: RegExp;
  /** More to check once it ran. */
  check?: (dir: string) => Promise<void>;
}

const EXAMPLES: Record<string, Example> = {
  // The README's main command, in full: it must reproduce the README's table to the decimal.
  'starloop run': {
    stdout: /run directory: .*runs\/arith-star\n$/,
    check: async (dir) => {
      const table = readmeEmbeddedTable();
      for (const round of [0, 1, 2, 3]) expect(await lengthRates(join(dir, 'runs/arith-star'), round), `round ${round}`).toEqual(table.get(String(round)));
      // Each round trained a checkpoint of its own.
      for (const round of [0, 1, 2]) expect(existsSync(join(dir, `runs/arith-star/round-${round}/trainer`))).toBe(true);
    },
  },
  'starloop run --control': {
    stdout: /run directory: .*runs\/arith-star-control\n$/,
    check: async (dir) => {
      expect(await lengthRates(join(dir, 'runs/arith-star-control'), 3)).toEqual(readmeEmbeddedTable().get('control'));
      // The control trains on gold easy examples, as many as the real arm's survivors.
      for (const round of [0, 1, 2]) {
        const run = join(dir, 'runs/arith-star-control', `round-${round}`);
        const provenance = await readJsonl(join(run, 'dataset.provenance.jsonl'), Provenance);
        expect(provenance.every((p) => p.source === 'gold-control')).toBe(true);
        expect(provenance.length).toBe(RoundSummary.parse(JSON.parse(await readFile(join(run, 'summary.json'), 'utf8'))).train!.survivors);
      }
    },
  },
  'starloop run -c examples/gsm-demo.yaml': { setup: (dir) => gsmConfig(dir, 'examples/gsm-demo.yaml'), stdout: /runs\/gsm-demo\n$/ },
  'starloop run -c gsm.yaml --resume': {
    // A run of that config to continue, stopped after its first round.
    setup: async (dir) => {
      await gsmConfig(dir, 'gsm.yaml');
      const first = await runLine('starloop run -c gsm.yaml --rounds 1 --quiet', dir, pathDir);
      expect(first.code, first.stderr).toBe(0);
    },
    stdout: /runs\/gsm-demo\n$/,
  },
  'starloop run -c gsm.yaml --out runs/gsm-1': { setup: (dir) => gsmConfig(dir, 'gsm.yaml'), stdout: /runs\/gsm-1\n$/ },
  'starloop run -c gsm.yaml --out runs/gsm-1 --resume --rounds 5': {
    // The example before it first: a run to continue.
    setup: async (dir) => {
      await gsmConfig(dir, 'gsm.yaml');
      const first = await runLine('starloop run -c gsm.yaml --out runs/gsm-1 --rounds 1 --quiet', dir, pathDir);
      expect(first.code, first.stderr).toBe(0);
    },
    stdout: /\n\s+5\s.*\nrun directory: .*runs\/gsm-1\n$/,
  },
  'starloop run -c gsm.yaml --out runs/gsm-1 --resume --rejudge errors': {
    setup: async (dir) => {
      await gsmConfig(dir, 'gsm.yaml');
      const first = await runLine('starloop run -c gsm.yaml --out runs/gsm-1 --rounds 1 --quiet', dir, pathDir);
      expect(first.code, first.stderr).toBe(0);
    },
    stdout: /runs\/gsm-1\n$/,
  },
  'starloop rejudge runs/gsm-demo': { setup: (dir) => copyRun(dir, 'runs/gsm-demo'), stdout: /^no error verdicts to re-judge\n$/ },
  'starloop rejudge runs/gsm-demo --round 0 --split eval': { setup: (dir) => copyRun(dir, 'runs/gsm-demo'), stdout: /^no error verdicts to re-judge\n$/ },
  'starloop run -c gsm.yaml --set sampling.k=16 --set select.dedupe=exact': { setup: (dir) => gsmConfig(dir, 'gsm.yaml'), stdout: /runs\/gsm-demo\n$/ },
  'starloop run -c gsm.yaml --dry-run': {
    setup: (dir) => gsmConfig(dir, 'gsm.yaml'),
    stdout: /^dry run: nothing is sent, nothing is written\n[\s\S]*\n\s+0\s+eval\s[\s\S]*\ntotal\s/,
    check: async (dir) => expect(existsSync(join(dir, 'runs'))).toBe(false),
  },
  'starloop run --recipe imitation-ceiling --out runs/ceiling': {
    rewrite: {
      from: '--out runs/ceiling',
      to: '--out runs/ceiling --set rounds=1 --set steps=20 --set teacherSteps=10 --set k=2',
      why: 'the full experiment takes minutes of both cores; test/e2e/imitation-ceiling.test.ts checks its outcome at reduced size',
    },
    stdout: /\nverdict: the imitation ceiling is (shown|not shown here): .*\nexperiment directory: .*runs\/ceiling\n$/,
    check: async (dir) => {
      for (const arm of ['teacher', 'imitation', 'filtered', 'star']) expect(existsSync(join(dir, 'runs/ceiling', arm, 'manifest.json')), arm).toBe(true);
      expect(existsSync(join(dir, 'runs/ceiling/compare.json'))).toBe(true);
    },
  },
  'starloop sample -c gsm.yaml --k 16 --out samples.jsonl': { setup: (dir) => gsmConfig(dir, 'gsm.yaml') },
  'starloop verify -p problems/gsm-mini/train.jsonl -s samples.jsonl': {
    setup: (dir) => cp(join(gsmRun, 'round-0', 'samples.jsonl'), join(dir, 'samples.jsonl')),
    stdout: /"status":"correct"/,
  },
  'starloop verify -p problems/gsm-mini/eval.jsonl -s answers.jsonl': { setup: gsmAnswers, stdout: /^(\{"problemId".*"status":"correct".*\}\n){3}$/ },
  'starloop verify -p humaneval.jsonl -s completions.jsonl --out verdicts.jsonl': { setup: humanEval },
  'starloop verify -p mcq.jsonl -s s.jsonl --verifier exact-match --option choices=ABCD': {
    setup: multipleChoice,
    stdout: /^\{"problemId":"q1".*"status":"correct".*\n\{"problemId":"q2".*"status":"incorrect".*\n$/,
  },
  'starloop eval -c gsm.yaml --model ft:gpt-4o-mini:acme::abc123': { setup: (dir) => gsmConfig(dir, 'gsm.yaml'), stdout: /^problems 40 {2}samples 160 /m },
  'starloop eval --checkpoint runs/starloop/round-2/trainer/model.ckpt --k 8': {
    setup: async (dir) => {
      await mkdir(join(dir, 'runs/starloop/round-2/trainer'), { recursive: true });
      await cp(join(repoRoot, 'src/embedded/checkpoints/base.ckpt'), join(dir, 'runs/starloop/round-2/trainer/model.ckpt'));
    },
    stdout: /pass@8/,
  },
  'starloop export runs/gsm-demo --out round-latest.jsonl': { setup: (dir) => copyRun(dir, 'runs/gsm-demo') },
  'starloop export runs/gsm-demo --all --out all-rounds.jsonl': { setup: (dir) => copyRun(dir, 'runs/gsm-demo') },
  'starloop export runs/gsm-demo --round 0 --provenance': { setup: (dir) => copyRun(dir, 'runs/gsm-demo'), stdout: /"source"/ },
  'starloop export runs/gsm-demo --pairs --all --out pairs.jsonl': { setup: (dir) => copyRun(dir, 'runs/gsm-demo') },
  'starloop export runs/gsm-demo --pairs --format openai --per-problem 2 --out dpo.jsonl': { setup: (dir) => copyRun(dir, 'runs/gsm-demo') },
  'starloop report runs/gsm-demo': { setup: (dir) => copyRun(dir, 'runs/gsm-demo'), stdout: /pass@1/ },
  "starloop report runs/gsm-demo --json | jq '.rounds[].eval.passAt1'": { setup: (dir) => copyRun(dir, 'runs/gsm-demo'), stdout: /^(0|1|0\.\d+)\n(0|1|0\.\d+)\n$/ },
  'starloop report runs/gsm-demo --html report.html': { setup: (dir) => copyRun(dir, 'runs/gsm-demo') },
  'starloop compare runs/a runs/b': { setup: (dir) => copyRun(dir, 'runs/a', 'runs/b') },
  'starloop compare runs/starloop': { setup: (dir) => copyRun(dir, 'runs/starloop') },
  'starloop compare runs/starloop runs/starloop-control': { setup: (dir) => copyRun(dir, 'runs/starloop', 'runs/starloop-control') },
  'starloop problems check problems/gsm-mini/train.jsonl': { stdout: /80/ },
  'starloop problems check HumanEval.jsonl --format humaneval --json': {
    setup: (dir) => cp(join(repoRoot, 'test/fixtures/problems/humaneval.jsonl'), join(dir, 'HumanEval.jsonl')),
    stdout: /"count": 2,/,
  },
  'starloop verifiers test examples/verifiers/physical-quantity.ts --cases examples/verifiers/physical-quantity.cases.jsonl': {
    stdout: /golden cases .*: (\d+)\/\1 passed/,
  },
  'starloop init my-project': { stdout: /^created .*my-project: starloop\.yaml/ },
  'starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 20 --out grown.jsonl': {
    setup: (dir) => generateConfig(dir),
    stdout: /^20 problems in grown\.jsonl \(20 new this run\)\n$/,
  },
  'starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 40 --out grown.jsonl': {
    // The example before it first: 20 problems to add to.
    setup: async (dir) => {
      await generateConfig(dir);
      const first = await runLine('starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 20 --out grown.jsonl --quiet', dir, pathDir);
      expect(first.code, first.stderr).toBe(0);
    },
    stdout: /^40 problems in grown\.jsonl \(20 new this run\)\n$/,
  },
  'starloop run -c examples/gsm-generate.yaml': {
    setup: async (dir) => {
      await generateConfig(dir);
      const first = await runLine('starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 20 --out grown.jsonl --quiet', dir, pathDir);
      expect(first.code, first.stderr).toBe(0);
    },
    stdout: /runs\/gsm-grown\n$/,
  },
  'starloop serve --port 8000 --model-name base-model': {
    serves: /^listening http:\/\/127\.0\.0\.1:\d+\/v1 \(model base-model\)$/m,
    rewrite: { from: '--port 8000', to: '--port 0', why: 'port 8000 may be taken on a shared machine' },
  },
};

/** The README's embedded-model table: round (or `control`) → [4-digit, 5-digit] eval pass@1 as printed. */
function readmeEmbeddedTable(): Map<string, string[]> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| (\d)(?: \(base\))?(, same-steps control[^|]*)? \| ([\d.]+%) \| ([\d.]+%) \|$/gm)];
  expect(rows.length).toBe(5);
  return new Map(rows.map((m) => [m[2] ? 'control' : m[1], [m[3], m[4]]]));
}

/** A round's eval pass@1 on 4- and 5-digit problems, printed as the README prints it. */
async function lengthRates(runDir: string, round: number): Promise<string[]> {
  const summary = RoundSummary.parse(JSON.parse(await readFile(join(runDir, `round-${round}`, 'summary.json'), 'utf8')));
  return ['4-digit', '5-digit'].map((group) => `${(summary.eval!.byGroup![group].passAt1 * 100).toFixed(1)}%`);
}

let server: OpenAITestServer;
let pathDir: string;
/** One real run of the example config, copied wherever an example names a run directory. */
let gsmRun: string;

async function gsmConfig(dir: string, path: string): Promise<void> {
  const config = parse(await readFile(join(repoRoot, 'examples/gsm-demo.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  config.policy.baseURL = server.url;
  config.train.pollIntervalMs = 20;
  await writeFiles(dir, { [path]: stringify(config) });
}

/** The generate example config, pointed at the test server (in writer mode). */
async function generateConfig(dir: string): Promise<void> {
  const config = parse(await readFile(join(repoRoot, 'examples/gsm-generate.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  config.policy.baseURL = server.url;
  config.train.pollIntervalMs = 20;
  await writeFiles(dir, { 'examples/gsm-generate.yaml': stringify(config) });
}

async function copyRun(dir: string, ...names: string[]): Promise<void> {
  for (const name of names) await cp(gsmRun, join(dir, name), { recursive: true });
}

async function gsmAnswers(dir: string): Promise<void> {
  const problems = (await loadProblems(join(repoRoot, 'problems/gsm-mini/eval.jsonl'))).slice(0, 3);
  await writeFiles(dir, { 'answers.jsonl': problems.map((p) => JSON.stringify({ problemId: p.id, text: `The answer is ${p.answer}.` }) + '\n').join('') });
}

async function humanEval(dir: string): Promise<void> {
  const lines = (await readFile(join(repoRoot, 'test/fixtures/problems/humaneval.jsonl'), 'utf8')).trim().split('\n');
  const tasks = lines.map((line) => JSON.parse(line) as { task_id: string; prompt: string; canonical_solution: string });
  await writeFiles(dir, {
    'humaneval.jsonl': lines.join('\n') + '\n',
    'completions.jsonl': tasks.map((t) => JSON.stringify({ problemId: t.task_id, text: '```python\n' + t.prompt + t.canonical_solution + '```' }) + '\n').join(''),
  });
}

async function multipleChoice(dir: string): Promise<void> {
  await writeFiles(dir, {
    'mcq.jsonl': [
      { id: 'q1', prompt: 'Which is a prime? (A) 4 (B) 6 (C) 7 (D) 9', answer: 'C' },
      { id: 'q2', prompt: 'Which is even? (A) 3 (B) 8 (C) 5 (D) 7', answer: 'B' },
    ].map((p) => JSON.stringify(p) + '\n').join(''),
    's.jsonl': [
      { problemId: 'q1', text: '7 has no divisors but 1 and itself, so the answer is (C).' },
      { problemId: 'q2', text: 'The answer is D.' },
    ].map((s) => JSON.stringify(s) + '\n').join(''),
  });
}

beforeAll(async () => {
  const problems = [...(await loadProblems(join(repoRoot, 'problems/gsm-mini/train.jsonl'))), ...(await loadProblems(join(repoRoot, 'problems/gsm-mini/eval.jsonl')))];
  server = await startOpenAIServer({
    models: ['base-model', 'ft:gpt-4o-mini:acme::abc123'],
    writer: true,
    answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])),
  });
  pathDir = await starloopOnPath();
  const dir = await exampleDir();
  await gsmConfig(dir, 'gsm.yaml');
  const made = await runLine('starloop run -c gsm.yaml --rounds 1 --quiet', dir, pathDir);
  expect(made.stderr).toBe('');
  gsmRun = join(dir, 'runs/gsm-demo');
}, 300_000);
afterAll(() => server?.close());

/** A folder with the repository's problems and example plug-ins (linked: read, never written). */
async function exampleDir(): Promise<string> {
  const dir = await tempDir('starloop-help-example-');
  await symlink(join(repoRoot, 'problems'), join(dir, 'problems'));
  await mkdir(join(dir, 'examples'));
  await symlink(join(repoRoot, 'examples', 'verifiers'), join(dir, 'examples', 'verifiers'));
  return dir;
}

const examples = helpExamples();

test('every help example has an entry here, and every entry is still an example', () => {
  expect([...new Set(examples.map((e) => e.command))].sort()).toEqual(Object.keys(EXAMPLES).sort());
});

for (const { command, line, shownBy } of new Map(examples.map((e) => [e.command, e])).values()) {
  test(`${shownBy} --help: ${line}`, async () => {
    const example = EXAMPLES[command];
    if (!example) return; // reported by the test above
    const dir = await exampleDir();
    await example.setup?.(dir);
    const written = example.rewrite ? line.replace(example.rewrite.from, example.rewrite.to) : line;
    if (example.serves) {
      let models: unknown;
      const served = await runLine(written, dir, pathDir, {
        output: example.serves,
        meanwhile: async (match) => {
          models = await (await fetch(`${/(http:\S+\/v1)/.exec(match[0])![1]}/models`)).json();
        },
      });
      expect(served.match, served.stderr).toBeDefined();
      expect(served.failure).toBeUndefined();
      expect(models).toMatchObject({ data: [{ id: 'base-model' }] });
      return;
    }
    const result = await runLine(written, dir, pathDir);
    expect(result.stderr).not.toMatch(/unexpected error|^\s+at /m);
    expect(result.code, result.stderr).toBe(0);
    if (example.stdout) expect(result.stdout).toMatch(example.stdout);
    await example.check?.(dir);
  }, 600_000);
}
