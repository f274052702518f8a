import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Problem, problemText } from '../../src/schema/problem.ts';
import { readJsonl } from '../../src/store/jsonl.ts';
import { startOpenAIServer, type OpenAITestServer } from '../helpers/openai-server.ts';
import { demoConfig, fixture, runCli, tempDir, writeConfig } from './cli.ts';

let server: OpenAITestServer;
beforeAll(async () => {
  const problems = [...(await readJsonl(fixture('train.jsonl'), Problem)), ...(await readJsonl(fixture('eval.jsonl'), Problem))];
  server = await startOpenAIServer({ models: ['base-model'], answers: Object.fromEntries(problems.map((p) => [problemText(p), p.answer!])) });
  // Slow answers: each sampling stage lasts well over one progress interval.
  server.faults.set({ delayMs: 25 });
});
afterAll(() => server?.close());

async function config(): Promise<{ dir: string; path: string }> {
  const dir = await tempDir();
  const path = await writeConfig(dir, demoConfig(server.url, { rounds: 1, sampling: { k: 4, temperature: 0.8, maxTokens: 128, concurrency: 2 }, rationalize: { enabled: false } }));
  return { dir, path };
}

test('without a terminal, a running stage prints a progress line every STARLOOP_PROGRESS_EVERY seconds; --json-events FILE gets every event as a JSON line', async () => {
  const { dir, path } = await config();
  const events = join(dir, 'events.jsonl');
  // The child's stderr is a pipe, as under CI or nohup.
  const result = await runCli(['run', '-c', path, '--out', join(dir, 'run'), '--json-events', events], { env: { STARLOOP_PROGRESS_EVERY: '0.2' } });
  expect(result.code, result.stderr).toBe(0);
  const periodic = result.stderr.split('\n').filter((line) => / so far$/.test(line));
  expect(periodic.length).toBeGreaterThan(0);
  for (const line of periodic) expect(line).toMatch(/^ {2}(eval|sample|verify|select|train) +round [01] {2}(\d+\/\d+ {2}\d+\.\d\/s ETA \S+ {2})?.*\d+(s|m\d\ds) so far$/);
  // Sampling stages verify as samples arrive: their line says how many are verified so far.
  expect(periodic.some((line) => /^ {2}(eval|sample) +round 0 {2}\d+\/\d+ {2}\d+\.\d\/s ETA \S+ {2}\d+ verified {2}tok \d/.test(line))).toBe(true);
  expect(result.stderr).not.toContain('\r');
  expect(result.stderr).not.toContain('\u001b[');

  const lines = (await readFile(events, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { at: string; type: string; stage?: string; summary?: { round: number } });
  for (const event of lines) expect(Date.parse(event.at)).not.toBeNaN();
  expect(lines[0].type).toBe('run-start');
  const types = new Set(lines.map((e) => e.type));
  for (const type of ['round-start', 'stage-start', 'stage-progress', 'stage-end', 'round-end', 'log']) expect(types).toContain(type);
  // Every stage that ended on the console ended in the file too.
  const ends = result.stderr.split('\n').filter((line) => /^ {2}\w+ +.*\(\d+(s|m\d\ds)\)$/.test(line));
  expect(lines.filter((e) => e.type === 'stage-end')).toHaveLength(ends.length);
  expect(lines.filter((e) => e.type === 'round-end').map((e) => e.summary!.round)).toEqual([0, 1]);
}, 300_000);

test('--json-events - puts the JSON lines on stderr instead of the progress lines; a file that cannot be opened is a one-line error', async () => {
  const { dir, path } = await config();
  const result = await runCli(['run', '-c', path, '--out', join(dir, 'run'), '--json-events', '-', '--rounds', '0']);
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines.length).toBeGreaterThan(3);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

  const bad = await runCli(['run', '-c', path, '--out', join(dir, 'run2'), '--json-events', join(dir, 'missing', 'events.jsonl')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^starloop: --json-events .*missing\/events\.jsonl: cannot open it for writing: ENOENT/);
  expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
}, 300_000);
