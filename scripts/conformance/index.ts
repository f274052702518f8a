/**
 * Runs every conformance script in this folder, one after another, each as its own
 * `node --import tsx` process (so one crashing cannot take the others down), shows their output,
 * and ends with one summary line per script. Exits 1 when any script failed.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const self = basename(fileURLToPath(import.meta.url));

const scripts = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== self)
  .sort();

function runScript(file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; lastLine: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastLine = '';
    const relay = (stream: NodeJS.ReadableStream, sink: NodeJS.WriteStream) =>
      stream.on('data', (chunk: Buffer) => {
        sink.write(chunk);
        const lines = chunk.toString('utf8').split('\n').filter((line) => line.trim() !== '');
        if (lines.length) lastLine = lines[lines.length - 1];
      });
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on('error', (error) => {
      lastLine = `could not start: ${error.message}`;
    });
    child.on('close', (code, signal) => resolvePromise({ code, signal, lastLine, seconds: (performance.now() - started) / 1000 }));
  });
}

const summary: string[] = [];
let failed = 0;
for (const name of scripts) {
  console.log(`\n=== ${name} ===`);
  const { code, signal, lastLine, seconds } = await runScript(join(here, name));
  const ok = code === 0;
  if (!ok) failed++;
  const outcome = ok ? 'ok' : signal ? `killed by ${signal}` : `FAILED (exit ${code})`;
  summary.push(`${name.padEnd(16)} ${outcome.padEnd(18)} ${seconds.toFixed(1).padStart(6)} s  ${lastLine.trim().slice(0, 100)}`);
}

console.log('\n=== conformance summary ===');
for (const line of summary) console.log(line);
if (scripts.length === 0) console.log('no conformance scripts found');
process.exitCode = failed > 0 ? 1 : 0;
