import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * This module runs either from the source tree (src/package-info.ts, under tsx or vitest) or
 * built (dist/src/package-info.js): the package root is one folder further up when built.
 */
const built = import.meta.url.endsWith('.js');
export const packageRoot = fileURLToPath(new URL(built ? '../../' : '../', import.meta.url));

/** What the build records about itself, written by scripts/build.ts. */
export const BuildInfo = z.object({ gitHash: z.string().nullable() }).strict();
export type BuildInfo = z.infer<typeof BuildInfo>;
export const BUILD_INFO_PATH = join(packageRoot, 'dist', 'build-info.json');

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The commit the tool was built from. The built package reads what the build recorded: asking git
 * where the package is installed would name the commit of the user's own repository. The source
 * tree only runs inside the checkout, so there its HEAD is the answer.
 */
export function toolGitHash(): string | null {
  if (!built) return gitHead(packageRoot);
  if (!existsSync(BUILD_INFO_PATH)) return null;
  return BuildInfo.parse(JSON.parse(readFileSync(BUILD_INFO_PATH, 'utf8'))).gitHash;
}

/** The HEAD commit of the git checkout at `dir`; null outside one. */
export function gitHead(dir: string): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}
