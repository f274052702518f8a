import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../e2e/cli.ts';

const run = promisify(execFile);

export interface Installed {
  /** The consumer project the tarball is installed into. */
  project: string;
  /** Paths inside the tarball, as `npm pack` lists them. */
  tarballFiles: string[];
}

type LockEntry = { dev?: boolean; dependencies?: Record<string, string> };

/**
 * Packs this checkout as `npm publish` would (without rebuilding: the test setup built dist/) and
 * installs the tarball into a fresh project. The project's lockfile pins starloop's dependencies
 * to the versions this checkout locks, so `npm ci --offline` installs them from the npm cache
 * (filled by this checkout's own install) without asking the registry. starloop's devDependencies
 * stay out; the project gets @types/node for its own type-check, as a TypeScript project would.
 */
export async function packAndInstall(dir: string): Promise<Installed> {
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot });
  const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  const project = join(dir, 'consumer');
  await mkdir(project);
  const tarball = `file:../${filename}`;
  const ours = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const runtime = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.dev);
  const typesNode = withDependencies(lock.packages, '@types/node');
  const devDependencies = { '@types/node': (ours.devDependencies as Record<string, string>)['@types/node'] };
  const manifest = { name: 'consumer', private: true, type: 'module', dependencies: { starloop: tarball }, devDependencies };
  const consumerLock = {
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', dependencies: manifest.dependencies, devDependencies },
      'node_modules/starloop': { version: ours.version, resolved: tarball, dependencies: ours.dependencies, bin: ours.bin, engines: ours.engines },
      ...Object.fromEntries(runtime),
      ...Object.fromEntries(typesNode),
    },
  };
  await writeFile(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(project, 'package-lock.json'), JSON.stringify(consumerLock, null, 2));
  await run('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: project });
  return { project, tarballFiles: files.map((f) => f.path) };
}

/** A top-level package's lock entry and those of the packages it depends on. */
function withDependencies(packages: Record<string, LockEntry>, name: string, into = new Map<string, LockEntry>()): Map<string, LockEntry> {
  const path = `node_modules/${name}`;
  if (into.has(path) || !packages[path]) return into;
  into.set(path, packages[path]);
  for (const dependency of Object.keys(packages[path].dependencies ?? {})) withDependencies(packages, dependency, into);
  return into;
}
