import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RUNNER_FILES = ['harness.py', 'harness.mjs', 'worker.py'] as const;
const SOURCE_DIR = new URL('./runners/', import.meta.url);

let published: string | undefined;

/**
 * A world-readable copy of the runner scripts, named by their content hash. The sandbox runs as
 * an unprivileged uid that may not be able to read the checkout (a project under /root, say).
 */
export function hostRunnerDir(): string {
  if (published) return published;
  const contents = RUNNER_FILES.map((name) => [name, readFileSync(new URL(name, SOURCE_DIR))] as const);
  const hash = createHash('sha256');
  for (const [name, content] of contents) hash.update(name).update(content);
  const target = path.join(tmpdir(), `starloop-runners-${hash.digest('hex').slice(0, 16)}`);
  const publish = (dir: string) => {
    for (const [name, content] of contents) writeFileSync(path.join(dir, name), content, { mode: 0o644 });
    chmodSync(dir, 0o755);
  };
  if (!existsSync(target)) {
    const staging = mkdtempSync(`${target}.tmp-`);
    publish(staging);
    try {
      renameSync(staging, target);
    } catch {
      // another process published the same content first
      rmSync(staging, { recursive: true, force: true });
    }
  }
  if (!isTrustworthy(target, contents)) {
    // Someone else planted the shared name: use a private copy instead.
    const own = mkdtempSync(path.join(tmpdir(), 'starloop-runners-'));
    publish(own);
    published = own;
    return own;
  }
  published = target;
  return target;
}

/** Ours (same owner, not writable by others) and byte-identical to the checkout's scripts. */
function isTrustworthy(dir: string, contents: ReadonlyArray<readonly [string, Buffer]>): boolean {
  try {
    const owner = process.getuid?.() ?? 0;
    const stat = statSync(dir);
    if (stat.uid !== owner || (stat.mode & 0o022) !== 0) return false;
    return contents.every(([name, content]) => {
      const file = path.join(dir, name);
      const fileStat = statSync(file);
      return fileStat.uid === owner && (fileStat.mode & 0o022) === 0 && readFileSync(file).equals(content);
    });
  } catch {
    return false;
  }
}
