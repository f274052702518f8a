import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { l as jsRougeL } from 'js-rouge';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DroppedRequest, GeneratedProblem, generatedId } from '../../src/generate/records.ts';
import { StoredReply } from '../../src/generate/reply-store.ts';
import { loadProblems } from '../../src/problems/load.ts';
import { problemText, type Problem } from '../../src/schema/problem.ts';
import { RoundSummary } from '../../src/schema/summary.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { WRITING_MARKER } from '../helpers/scripted-writer.ts';
import { repoRoot, runCli, startCli, tempDir, writeConfig } from './cli.ts';

const seedsFile = join(repoRoot, 'problems/gsm-mini/train.jsonl');
let seeds: Problem[];
let server: OpenAITestServer;
/** The scripted server's answer book: the seeds', and every problem its writer mode wrote. */
const answers: Record<string, string> = {};

beforeAll(async () => {
  seeds = await loadProblems(seedsFile);
  for (const seed of seeds) answers[problemText(seed)] = seed.answer!;
  // Right 60% of the time: some problems reach a majority of 8, some do not.
  server = await startOpenAIServer({ models: ['base-model', 'teacher-model'], writer: true, accuracy: () => 0.6, answers, faults: { delayMs: 5 } });
});
afterAll(() => server?.close());

/** The README's generate config, pointed at the test server. */
function genConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'gsm-gen',
    problems: { train: 'grown.jsonl' },
    verifier: 'numeric',
    policy: { type: 'openai', baseURL: server.url, model: 'base-model' },
    sampling: { k: 4, temperature: 0.8, maxTokens: 256, concurrency: 16 },
    prompt: { system: 'Solve the problem. End with: The answer is N.', template: '{{problem}}' },
    generate: { prompts: 8, rougeThreshold: 0.7, answer: { method: 'self-consistency', k: 8, minShare: 0.5 } },
    train: { type: 'openai', base: 'base-model', pollIntervalMs: 20 },
    rounds: 1,
    ...overrides,
  };
}

// The independent ROUGE-L: js-rouge's LCS F1 on the words Self-Instruct compares (lower-cased alphanumeric runs).
const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
const rougeL = (a: string, b: string) => jsRougeL(words(a).join(' '), words(b).join(' '), { segmenter: (s) => [s], tokenizer: (s) => s.split(' ') });

test('generate grows gsm-mini by 30 problems: no pair as near as the threshold, every answer with its agreement, drops counted, and run reads the file', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig(), 'gsm-gen.yaml');
  const result = await runCli(['generate', '-c', 'gsm-gen.yaml', '--seeds', seedsFile, '--count', '30', '--out', 'grown.jsonl'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe('30 problems in grown.jsonl (30 new this run)\n');

  const grown = await readJsonl(join(dir, 'grown.jsonl'), GeneratedProblem);
  expect(grown).toHaveLength(30);
  expect(new Set(grown.map((p) => p.id)).size).toBe(30);
  const texts = [...seeds.map(problemText), ...grown.map((p) => p.prompt)];
  for (const [i, problem] of grown.entries()) {
    for (let j = 0; j < seeds.length + i; j++) expect(rougeL(problem.prompt, texts[j]), `${problem.id} against ${j}`).toBeLessThan(0.7);
    const answer = problem.meta.generated.answer;
    if (answer.method !== 'self-consistency') throw new Error('expected self-consistency');
    expect(answer.k).toBe(8);
    expect(answer.agreement).toBeGreaterThanOrEqual(0.5);
    expect(answer.agreement).toBeCloseTo(answer.votes / answer.k, 10);
    // The majority of a model right 60% of the time is the right answer here.
    expect(problem.answer).toBe(answers[problem.prompt]);
    // Provenance: the examples shown (6 seeds, 2 generated once there are some), and the nearest problem, scored exactly.
    expect(problem.meta.generated.examples).toHaveLength(8);
    const nearest = problem.meta.generated.rougeL.nearest!;
    const pool = new Map([...seeds.map((s) => [s.id, problemText(s)] as const), ...grown.slice(0, i).map((g) => [g.id, g.prompt] as const)]);
    expect(problem.meta.generated.rougeL.max).toBeCloseTo(rougeL(problem.prompt, pool.get(nearest)!), 10);
    expect(problem.meta.generated.rougeL.max).toBeCloseTo(Math.max(...[...pool.values()].map((text) => rougeL(problem.prompt, text))), 10);
  }

  // Every filter dropped something, and the counts on stderr are those of the drops file.
  const drops = await readJsonl(join(dir, 'grown.jsonl.drops.jsonl'), DroppedRequest);
  const counts = new Map<string, number>();
  for (const drop of drops) counts.set(drop.reason, (counts.get(drop.reason) ?? 0) + 1);
  for (const reason of ['malformed', 'too-short', 'blacklist', 'exact-duplicate', 'normalized-duplicate', 'rouge', 'no-majority']) {
    expect(counts.get(reason), reason).toBeGreaterThan(0);
    expect(result.stderr).toContain(`${reason} ${counts.get(reason)}`);
  }
  // A ROUGE drop names a problem it is as near as the threshold to: in the pool, or written earlier in its batch (and dropped later).
  const textOf = new Map([...seeds.map((s) => [s.id, problemText(s)] as const), ...grown.map((g) => [g.id, g.prompt] as const), ...drops.map((d) => [generatedId('grown', d.request), d.problem] as const)]);
  for (const drop of drops.filter((d) => d.reason === 'rouge')) expect(rougeL(drop.problem!, textOf.get(drop.nearest!)!)).toBeGreaterThanOrEqual(0.7);
  expect(result.stderr).toMatch(new RegExp(`^writing requests ${drops.length + 30} · kept 30 · dropped `, 'm'));
  expect(result.stderr).toMatch(/^tokens \d+ prompt \+ \d+ completion · cost unknown/m);

  // `starloop run` reads the output as its problem file.
  const run = await runCli(['run', '-c', 'gsm-gen.yaml', '--quiet'], { cwd: dir });
  expect(run.code, run.stderr).toBe(0);
  const summary = RoundSummary.parse(JSON.parse(await readFile(join(dir, 'runs/gsm-gen/round-0/summary.json'), 'utf8')));
  expect(summary.train!.problems).toBe(30);
}, 120_000);

test('kill -9 mid-run (and a torn last line), then the same command: the output is the uninterrupted one, nothing lost or twice', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig({ generate: { prompts: 4, answer: { method: 'self-consistency', k: 4, minShare: 0.5 } } }), 'gsm-gen.yaml');
  const args = (out: string) => ['generate', '-c', 'gsm-gen.yaml', '--seeds', seedsFile, '--count', '24', '--out', out];
  // The same command, never interrupted, in a folder of its own (ids and provenance name the output file).
  const referenceDir = await tempDir();
  await writeConfig(referenceDir, genConfig({ generate: { prompts: 4, answer: { method: 'self-consistency', k: 4, minShare: 0.5 } } }), 'gsm-gen.yaml');
  const reference = await runCli(args('grown.jsonl'), { cwd: referenceDir });
  expect(reference.code, reference.stderr).toBe(0);

  const out = join(dir, 'grown.jsonl');
  // Killed in a batch's answering, once some problems are kept: its writer replies are stored, its outcome is not.
  server.faults.set({ delayMs: 60 });
  const first = startCli(args('grown.jsonl'), { cwd: dir });
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const decided = new Set([...(await linesOf(out)), ...(await linesOf(`${out}.drops.jsonl`))].map((line) => (JSON.parse(line) as { request?: number; meta?: { generated: { request: number } } })).map((r) => r.request ?? r.meta!.generated.request));
      const written = (await linesOf(`${out}.replies.jsonl`)).map((line) => JSON.parse(line) as StoredReply).filter((r) => r.role === 'write');
      if (decided.size >= 8 && written.some((r) => !decided.has(r.request))) break;
    }
    first.child.kill('SIGKILL');
  } finally {
    server.faults.set({ delayMs: 5 });
  }
  expect((await first.done).signal).toBe('SIGKILL');
  const before = await readJsonl(out, GeneratedProblem);
  expect(before.length).toBeGreaterThan(0);
  expect(before.length).toBeLessThan(24);
  await appendFile(out, '{"id":"grown-999","prompt":"A torn li');
  // Writer replies stored before the kill are not asked for again.
  const stored = (await readJsonl(`${out}.replies.jsonl`, StoredReply, { tolerateTornTail: true })).filter((r) => r.role === 'write').map((r) => r.request);
  const sentBefore = server.requests.length;

  const resumed = await runCli(args('grown.jsonl'), { cwd: dir });
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.stderr).toContain(`resuming: ${before.length} problems kept`);
  expect(resumed.stdout).toBe(`24 problems in grown.jsonl (${24 - before.length} new this run)\n`);
  const after = await readJsonl(out, GeneratedProblem);
  expect(after.slice(0, before.length)).toEqual(before);
  expect(new Set(after.map((p) => p.id)).size).toBe(24);
  const sortById = (lines: GeneratedProblem[]) => [...lines].sort((a, b) => a.meta.generated.request - b.meta.generated.request);
  expect(sortById(after)).toEqual(sortById(await readJsonl(join(referenceDir, 'grown.jsonl'), GeneratedProblem)));
  const requests = (await readJsonl(`${out}.drops.jsonl`, DroppedRequest)).map((d) => d.request);
  expect(new Set(requests).size).toBe(requests.length);
  const writingSeeds = server.requests.slice(sentBefore).filter((r) => r.messages?.some((m) => m.content.includes(WRITING_MARKER))).map((r) => r.seed);
  expect(writingSeeds.length).toBeGreaterThan(0);
  expect(writingSeeds.filter((seed) => stored.includes(seed!))).toEqual([]);

  // Asked again for as many: nothing to do, nothing sent.
  const sent = server.requests.length;
  const again = await runCli(args('grown.jsonl'), { cwd: dir });
  expect(again.stdout).toBe('24 problems in grown.jsonl (0 new this run)\n');
  expect(server.requests.length).toBe(sent);
}, 120_000);

test('a second generate into the same file while the first runs is refused, and the first goes on', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig({ generate: { maxRequests: 100_000 } }), 'gen.yaml');
  const args = ['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '5000', '--out', 'grown.jsonl'];
  const first = startCli(args, { cwd: dir });
  try {
    while (!existsSync(join(dir, 'grown.jsonl.lock'))) await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await runCli(args, { cwd: dir });
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/^starloop: .*grown\.jsonl is being written by another starloop generate \(is in use by process \d+ .*\)\n$/);
    expect(first.child.exitCode).toBeNull();
  } finally {
    first.child.kill('SIGKILL');
    await first.done;
  }
  // The lock went with the process that held it.
  const after = await runCli([...args.slice(0, -3), '1', '--out', 'grown.jsonl'], { cwd: dir });
  expect(after.code, after.stderr).toBe(0);
}, 60_000);

test('Ctrl-C stops after what is in flight: exit 130, every line whole, and the same command continues', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig(), 'gen.yaml');
  const args = ['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '400', '--out', 'grown.jsonl'];
  const first = startCli(args, { cwd: dir });
  const out = join(dir, 'grown.jsonl');
  while (!existsSync(out) || (await readFile(out, 'utf8')).split('\n').length < 4) await new Promise((resolve) => setTimeout(resolve, 20));
  first.child.kill('SIGINT');
  const stopped = await first.done;
  expect(stopped.code, stopped.stderr).toBe(130);
  expect(stopped.stderr).toContain('interrupting after what is in flight');
  const kept = await readJsonl(out, GeneratedProblem);
  expect((await readFile(out, 'utf8')).endsWith('\n')).toBe(true);
  const more = await runCli([...args.slice(0, -3), String(kept.length + 5), '--out', 'grown.jsonl'], { cwd: dir });
  expect(more.code, more.stderr).toBe(0);
  expect(more.stdout).toBe(`${kept.length + 5} problems in grown.jsonl (5 new this run)\n`);
}, 60_000);

test('with a teacher, the teacher writes and its answers are kept as given, when the verifier reads them', async () => {
  const dir = await tempDir();
  const teacher = { type: 'openai', baseURL: server.url, model: 'teacher-model', pricing: { input: 2, output: 8 } };
  await writeConfig(dir, genConfig({ policy: { type: 'embedded' }, teacher, generate: { answer: { method: 'teacher' } } }), 'gen.yaml');
  const sent = server.requests.length;
  const result = await runCli(['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '10', '--out', 'grown.jsonl'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  const grown = await readJsonl(join(dir, 'grown.jsonl'), GeneratedProblem);
  expect(grown).toHaveLength(10);
  for (const problem of grown) {
    expect(problem.meta.generated.answer).toEqual({ method: 'teacher' });
    expect(problem.meta.generated.writer).toBe('teacher-model');
    expect(problem.answer).toBe(answers[problem.prompt]);
  }
  const models = new Set(server.requests.slice(sent).filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.model));
  expect([...models]).toEqual(['teacher-model']);
  // Usage and cost at the end, at the teacher's prices (USD per million tokens).
  const [, prompt, completion, cost] = /^tokens (\d+) prompt \+ (\d+) completion · cost \$([\d.]+)$/m.exec(result.stderr)!;
  expect(Number(cost)).toBeCloseTo((Number(prompt) * 2 + Number(completion) * 8) / 1e6, 4);
  expect(Number(prompt)).toBeGreaterThan(0);
}, 60_000);

test('too few writing requests allowed: a clear error with how far it got, and a rerun with more continues', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig({ generate: { maxRequests: 12, prompts: 4 } }), 'gen.yaml');
  const args = ['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '40', '--out', 'grown.jsonl'];
  const short = await runCli(args, { cwd: dir });
  expect(short.code).toBe(2);
  const kept = (await readJsonl(join(dir, 'grown.jsonl'), GeneratedProblem)).length;
  expect(short.stderr).toContain(`starloop: ${kept} of 40 problems after 12 writing requests (generate.maxRequests); dropped: `);
  const more = await runCli([...args, '--set', 'generate.maxRequests=1000'], { cwd: dir });
  expect(more.code, more.stderr).toBe(0);
  expect(more.stdout).toBe(`40 problems in grown.jsonl (${40 - kept} new this run)\n`);
}, 60_000);

test('a bad seeds file is one line naming file:line, and nothing is sent', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig(), 'gen.yaml');
  const sent = server.requests.length;
  await writeFile(join(dir, 'bad.jsonl'), '{"prompt":"What is 2+3?","answer":"5"}\n{"prompt":"What is 4+4?","answer":"8"}\n{"prompt":"What is 1+1?", "answer":\n');
  const broken = await runCli(['generate', '-c', 'gen.yaml', '--seeds', 'bad.jsonl', '--count', '5', '--out', 'o.jsonl'], { cwd: dir });
  expect(broken.code).toBe(2);
  expect(broken.stderr).toMatch(/^starloop: seeds .*bad\.jsonl:3: not valid JSON[^\n]*\n$/);
  await writeFile(join(dir, 'no-answer.jsonl'), '{"prompt":"What is 2+3?","answer":"5"}\n\n{"prompt":"What is 4+4?"}\n');
  const unanswered = await runCli(['generate', '-c', 'gen.yaml', '--seeds', 'no-answer.jsonl', '--count', '5', '--out', 'o.jsonl'], { cwd: dir });
  expect(unanswered.code).toBe(2);
  expect(unanswered.stderr).toMatch(/^starloop: seeds .*no-answer\.jsonl:3: problem \S+ has no answer[^\n]*\n$/);
  expect(server.requests.length).toBe(sent);
  expect(existsSync(join(dir, 'o.jsonl'))).toBe(false);
});

test('a grown file seeds the next one: ids name their file, and a file cannot seed itself', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig({ generate: { answer: { method: 'teacher' } } }), 'gen.yaml');
  const first = await runCli(['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '8', '--out', 'a.jsonl'], { cwd: dir });
  expect(first.code, first.stderr).toBe(0);
  const a = await readJsonl(join(dir, 'a.jsonl'), GeneratedProblem);
  expect(a.every((p) => /^a-\d+$/.test(p.id))).toBe(true);
  const itself = await runCli(['generate', '-c', 'gen.yaml', '--seeds', 'a.jsonl', '--count', '8', '--out', 'a.jsonl'], { cwd: dir });
  expect(itself.code).toBe(2);
  expect(itself.stderr).toMatch(/^starloop: seed a-\d+ has an id of the kind .*a\.jsonl gives its problems \(a-N\): write to a file of another name\n$/);
  const next = await runCli(['generate', '-c', 'gen.yaml', '--seeds', 'a.jsonl', '--count', '8', '--out', 'b.jsonl'], { cwd: dir });
  expect(next.code, next.stderr).toBe(0);
  const b = await readJsonl(join(dir, 'b.jsonl'), GeneratedProblem);
  expect(b.every((p) => /^b-\d+$/.test(p.id))).toBe(true);
  for (const problem of b) for (const other of [...a, ...b]) if (other !== problem) expect(rougeL(problem.prompt, other.prompt)).toBeLessThan(0.7);
}, 60_000);

test('an output line that is not a generated problem is an error naming file:line; nothing is appended', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig(), 'gen.yaml');
  const args = ['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '6', '--out', 'grown.jsonl'];
  expect((await runCli([...args.slice(0, -3), '3', '--out', 'grown.jsonl'], { cwd: dir })).code).toBe(0);
  await appendFile(join(dir, 'grown.jsonl'), '{"id":"x","prompt":"What is 1+1?","answer":"2"}\n');
  const before = await readFile(join(dir, 'grown.jsonl'), 'utf8');
  const result = await runCli(args, { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^starloop: .*grown\.jsonl:4: meta: /);
  expect(await readFile(join(dir, 'grown.jsonl'), 'utf8')).toBe(before);
});

test('the embedded model cannot write problems: generate refuses and says what it needs', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig({ policy: { type: 'embedded' } }), 'gen.yaml');
  const result = await runCli(['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '5', '--out', 'o.jsonl'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toBe('starloop: generate needs an OpenAI-compatible writer (a teacher or policy of type openai); the policy is the embedded model, which only knows reversed-digit addition and cannot write problems\n');
  expect(existsSync(join(dir, 'o.jsonl'))).toBe(false);
});

// The README's walkthrough ("Growing a problem set"), command by command.
const README_SERVER = 'npm run demo:server -- --port 8000 --model base-model --answers problems/gsm-mini/train.jsonl --answers problems/gsm-mini/eval.jsonl --writer';
const README_GENERATE = 'npx starloop generate -c examples/gsm-generate.yaml --seeds problems/gsm-mini/train.jsonl --count 30 --out grown.jsonl';
const README_RUN = 'npx starloop run -c examples/gsm-generate.yaml';

test('the README walkthrough: the demo server in writer mode, generate with examples/gsm-generate.yaml, then run on the grown set', async () => {
  const serverArgs = README_SERVER.split(' ').slice(4).map((arg) => (arg === '8000' ? '0' : arg));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/openai-server-main.ts', ...serverArgs], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const port = /^listening http:\/\/127\.0\.0\.1:(\d+)\/v1$/.exec(first.value as string)![1];
    const dir = await tempDir();
    await symlink(join(repoRoot, 'problems'), join(dir, 'problems'));
    await mkdir(join(dir, 'examples'));
    const config = await readFile(join(repoRoot, 'examples/gsm-generate.yaml'), 'utf8');
    await writeFile(join(dir, 'examples/gsm-generate.yaml'), config.replace('127.0.0.1:8000', `127.0.0.1:${port}`));
    const generated = await runCli(README_GENERATE.split(' ').slice(2), { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toBe('30 problems in grown.jsonl (30 new this run)\n');
    expect(await readJsonl(join(dir, 'grown.jsonl'), GeneratedProblem)).toHaveLength(30);
    const run = await runCli([...README_RUN.split(' ').slice(2), '--quiet'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const summary = RoundSummary.parse(JSON.parse(await readFile(join(dir, 'runs/gsm-grown/round-1/summary.json'), 'utf8')));
    expect(summary.train!.problems).toBe(30);
  } finally {
    child.kill('SIGTERM');
  }
}, 180_000);

test('a writer on the Batch API is refused: each batch of writing prompts waits on the one before', async () => {
  const dir = await tempDir();
  await writeConfig(dir, genConfig({ policy: { type: 'openai', baseURL: server.url, model: 'base-model', batch: true } }), 'gen.yaml');
  const result = await runCli(['generate', '-c', 'gen.yaml', '--seeds', seedsFile, '--count', '5', '--out', 'o.jsonl'], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^starloop: generate writes in batches .* set batch: false on the policy for generate\n$/);
});

/** The whole lines of a file (none when it is missing; a line being written is left out). */
async function linesOf(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const text = await readFile(path, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
}
