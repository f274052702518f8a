import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.ts';
import { bin } from './cli.ts';

export interface HelpExample {
  /** The command as the help shows it, comment left out and spaces collapsed: the mapping key. */
  command: string;
  /** The whole line after `$ `, comment included, as a user would paste it into a shell. */
  line: string;
  /** The command whose help shows it, e.g. `verifiers test`. */
  shownBy: string;
}

/** Every `$ starloop …` line in the help of the program and of every command and subcommand. */
export function helpExamples(): HelpExample[] {
  const examples: HelpExample[] = [];
  const visit = (command: Command, path: string[]) => {
    let text = '';
    command.configureOutput({ writeOut: (chunk) => (text += chunk) });
    command.outputHelp();
    for (const match of text.matchAll(/^\s*\$ (starloop\b.*)$/gm)) {
      const line = match[1].trim();
      examples.push({ command: line.replace(/\s+#.*$/, '').replace(/\s+/g, ' '), line, shownBy: path.join(' ') || 'starloop' });
    }
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(buildProgram(), []);
  return examples;
}

export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A folder holding a `starloop` command that runs this checkout's built CLI, to put first on PATH. */
export async function starloopOnPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'starloop-path-'));
  await writeFile(join(dir, 'starloop'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  await chmod(join(dir, 'starloop'), 0o755);
  return dir;
}

/**
 * Runs a line through bash in `cwd`, as a user would type it. With `until`, the command is a
 * server: once its stdout matches, `meanwhile` runs and then the process is stopped.
 */
export function runLine(
  line: string,
  cwd: string,
  pathDir: string,
  until?: { output: RegExp; meanwhile: (match: RegExpMatchArray) => Promise<void> },
): Promise<ShellResult & { match?: RegExpMatchArray; failure?: unknown }> {
  const child = spawn('bash', ['-c', until ? `exec ${line}` : line], {
    cwd,
    env: { ...process.env, PATH: `${pathDir}:${process.env.PATH}`, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let match: RegExpMatchArray | undefined;
  let failure: unknown;
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (!until || match) return;
    match = stdout.match(until.output) ?? undefined;
    if (match) until.meanwhile(match).then(() => child.kill('SIGTERM'), (error: unknown) => {
      failure = error;
      child.kill('SIGTERM');
    });
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, match, failure })));
}

export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}
