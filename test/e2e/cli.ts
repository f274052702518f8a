import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bin = join(repoRoot, 'bin', 'starloop.js');
export const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'e2e', name);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI (`bin/starloop.js`, which runs the built dist/) as a child process. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

export async function tempDir(prefix = 'starloop-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** The example config, pointed at a test server and the e2e fixtures. */
export function demoConfig(baseURL: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'e2e-demo',
    problems: { train: fixture('train.jsonl'), eval: fixture('eval.jsonl') },
    verifier: 'numeric',
    policy: { type: 'openai', baseURL, model: 'base-model', apiKeyEnv: 'OPENAI_API_KEY', mode: 'chat', maxRetries: 2 },
    sampling: { k: 4, temperature: 0.8, maxTokens: 128, concurrency: 8 },
    prompt: { system: 'Solve the problem. End with: The answer is N.', template: '{{problem}}' },
    rationalize: { enabled: true, hintTemplate: '{{problem}}\n(Hint: the answer is {{answer}}.)' },
    select: { maxPerProblem: 2, dedupe: 'normalized' },
    train: { type: 'openai', base: 'base-model', restartFromBase: true, pollIntervalMs: 20 },
    eval: { k: 4, temperature: 0.8 },
    rounds: 2,
    ...overrides,
  };
}

export async function writeConfig(dir: string, config: Record<string, unknown>, name = 'config.yaml'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, stringify(config), 'utf8');
  return path;
}
