/**
 * Builds the package into dist/: tsc's JavaScript, declarations and source maps, the files the
 * built code finds beside itself (the base checkpoint, the sandbox runner scripts), and
 * dist/build-info.json (the commit built from), written last so it marks a complete build.
 *   node --import tsx scripts/build.ts             # clean build (npm run build; npm install runs it)
 *   node --import tsx scripts/build.ts --if-stale  # only when a source is newer than the last build
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BUILD_INFO_PATH, gitHead, packageRoot, type BuildInfo } from '../src/package-info.ts';

/** Files the code reads at run time relative to its own module, copied to the same place in dist/. */
const ASSETS = ['src/embedded/checkpoints/base.ckpt', 'src/sandbox/runners'];
/** What the build reads: a change to any of these makes dist/ stale. */
const INPUTS = ['src', 'verifiers', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.ts'];

const dist = join(packageRoot, 'dist');

export function build(): void {
  rmSync(dist, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(packageRoot, 'tsconfig.build.json')], { stdio: 'inherit' });
  for (const asset of ASSETS) cpSync(join(packageRoot, asset), join(dist, asset), { recursive: true });
  const info: BuildInfo = { gitHash: gitHead(packageRoot) };
  writeFileSync(BUILD_INFO_PATH, JSON.stringify(info, null, 2) + '\n');
}

/** True when dist/ is missing, unfinished, or older than a file it is built from. */
export function isStale(): boolean {
  if (!existsSync(BUILD_INFO_PATH)) return true;
  const builtAt = statSync(BUILD_INFO_PATH).mtimeMs;
  return INPUTS.some((input) => newestChange(join(packageRoot, input)) > builtAt);
}

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A folder's own time changes when an entry is added, removed or renamed.
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean', default: false } } });
  if (!values['if-stale'] || isStale()) build();
}
