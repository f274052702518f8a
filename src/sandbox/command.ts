import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Isolation } from './isolation.ts';
import { systemBinds } from './isolation.ts';
import { runnerDir } from './runner-files.ts';

export type Runtime = 'python' | 'node';

/** Where the sandbox sees the runner scripts (runner-files.ts says where the host keeps them). */
export const SANDBOX_RUNNER_DIR = '/runner';
export const SANDBOX_WORK_ROOT = '/tmp';
/** The system interpreter: `python3` on PATH may be a slow shim (pyenv) or a user's venv. */
export const PYTHON_PATH = '/usr/bin/python3';
export const NODE_PATH = realpathSync(process.execPath);

const SANDBOX_UID = 1000;
const MB = 1024 * 1024;
const SANDBOX_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' };

export interface Launch {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface LaunchSpec {
  isolation: Isolation;
  /** Host uid of this slot; used only when the host runs as root (see isolation.ts). */
  uid: number;
  /** Size of the sandbox's private /tmp and /dev/shm, in MiB. */
  scratchMb: number;
  /** Fallback only: a host directory owned by `uid` that serves as the work dir. */
  hostWorkDir: string;
  /** The sandbox serves a single task (one-shot): it skips warming up for later ones. */
  once: boolean;
}

export function runnerPath(isolation: Isolation, file: string): string {
  return isolation.level === 'bwrap' ? `${SANDBOX_RUNNER_DIR}/${file}` : path.join(runnerDir(), file);
}

/** A node running one of the runner scripts, with the job's heap limit. */
export function nodeArgv(isolation: Isolation, script: string, memoryMb: number): string[] {
  return [NODE_PATH, `--max-old-space-size=${memoryMb}`, runnerPath(isolation, script)];
}

function bwrapArgs(spec: LaunchSpec): string[] {
  const { binds, symlinks } = systemBinds();
  const scratch = String(spec.scratchMb * MB);
  const args = ['--unshare-all', '--unshare-user', '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_UID)];
  // --as-pid-1: the test process is the namespace's init, which tasks can neither signal nor kill(-1).
  args.push('--as-pid-1', '--die-with-parent', '--new-session', '--hostname', 'sandbox', '--clearenv');
  for (const bind of binds) args.push('--ro-bind', bind, bind);
  for (const [target, link] of symlinks) args.push('--symlink', target, link);
  if (!binds.some((dir) => NODE_PATH.startsWith(`${dir}/`))) args.push('--ro-bind', NODE_PATH, NODE_PATH);
  args.push('--ro-bind', runnerDir(), SANDBOX_RUNNER_DIR);
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', scratch, '--tmpfs', '/tmp', '--size', scratch, '--tmpfs', '/dev/shm');
  for (const [key, value] of Object.entries({ ...SANDBOX_ENV, HOME: SANDBOX_WORK_ROOT })) args.push('--setenv', key, value);
  args.push('--chdir', SANDBOX_WORK_ROOT, '--');
  return args;
}

function dropUid(spec: LaunchSpec): string[] {
  const { setprivPath } = spec.isolation;
  return setprivPath ? [setprivPath, `--reuid=${spec.uid}`, `--regid=${spec.uid}`, '--clear-groups', '--'] : [];
}

/**
 * The command line of one sandbox: the test process (judge.py), which forks everything else. It
 * is always spawned with an empty environment: bubblewrap's own environment would otherwise show
 * through /proc/1/environ inside.
 */
export function buildLaunch(spec: LaunchSpec): Launch {
  const judge = [PYTHON_PATH, '-I', '-B', runnerPath(spec.isolation, 'judge.py'), ...(spec.once ? ['--once'] : [])];
  if (spec.isolation.level === 'bwrap' && spec.isolation.bwrapPath) {
    const argv = [...dropUid(spec), spec.isolation.bwrapPath, ...bwrapArgs(spec), ...judge];
    return { file: argv[0], args: argv.slice(1), cwd: '/', env: {} };
  }
  const unshare = spec.isolation.unsharePath
    ? [spec.isolation.unsharePath, '--net', '--pid', '--fork', '--kill-child', '--mount-proc', '--']
    : [];
  const argv = [...unshare, ...dropUid(spec), ...judge, '--bare', '--work-root', spec.hostWorkDir];
  return { file: argv[0], args: argv.slice(1), cwd: spec.hostWorkDir, env: { ...SANDBOX_ENV, HOME: spec.hostWorkDir } };
}
