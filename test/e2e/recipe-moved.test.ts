import { existsSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { RunManifest } from '../../src/schema/manifest.ts';
import { runCli, startCli, tempDir } from './cli.ts';

/** Small enough to stop after the teacher arm in seconds: only where the experiment's files are is under test, not its numbers. */
const TINY = ['--set', 'teacherSteps=5', '--set', 'steps=5', '--set', 'rounds=1', '--set', 'k=2', '--set', 'seed=0'];

const rawManifest = async (runDir: string) => RunManifest.parse(JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')));

test('an experiment directory renamed after its teacher arm resumes from where it is now, and the old path is never recreated', async () => {
  const dir = await tempDir('starloop-moved-');
  const before = join(dir, 'ceiling');
  const first = startCli(['run', '--recipe', 'imitation-ceiling', '--out', before, ...TINY, '--quiet']);
  const deadline = Date.now() + 300_000;
  // The teacher arm is done once the imitation arm has a manifest.
  while (Date.now() < deadline && !existsSync(join(before, 'imitation', 'manifest.json'))) await new Promise((resolve) => setTimeout(resolve, 50));
  first.child.kill('SIGKILL');
  expect((await first.done).signal).toBe('SIGKILL');

  // The teacher's trained checkpoint is stored relative to its run directory.
  const teacherRef = (await rawManifest(join(before, 'teacher'))).policies.at(-1)!;
  expect(teacherRef.checkpoint).toBe(join('round-0', 'trainer', 'embedded-round-1.ckpt'));

  const after = join(dir, 'renamed');
  await rename(before, after);
  const resumed = await runCli(['run', '--recipe', 'imitation-ceiling', '--out', after, '--resume', '--quiet']);
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect(existsSync(before)).toBe(false);

  // The student arms were taught by the checkpoint where it is now; the move is recorded, not refused.
  const teacherCheckpoint = join(after, 'teacher', 'round-0', 'trainer', 'embedded-round-1.ckpt');
  for (const arm of ['imitation', 'filtered']) {
    const manifest = await rawManifest(join(after, arm));
    expect((manifest.config.teacher as { checkpoint: string }).checkpoint, arm).toBe(teacherCheckpoint);
    expect(manifest.checkpoints?.['teacher.checkpoint']?.path, arm).toBe(teacherCheckpoint);
  }
  const imitation = await rawManifest(join(after, 'imitation'));
  expect(imitation.changes?.at(-1)?.keys['teacher.checkpoint']).toEqual({ from: join(before, 'teacher', 'round-0', 'trainer', 'embedded-round-1.ckpt'), to: teacherCheckpoint });
  for (const arm of ['teacher', 'imitation', 'filtered', 'star']) {
    for (const ref of (await rawManifest(join(after, arm))).policies) expect(ref.checkpoint ?? '', arm).not.toContain(before);
  }
  expect(existsSync(join(after, 'compare.json'))).toBe(true);
}, 600_000);
