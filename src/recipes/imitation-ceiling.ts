import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultRunConfigInput } from '../config/default-config.ts';
import { resolveConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { RunStoreError } from '../errors.ts';
import { compareRuns, type ComparisonEntry, type ComparisonResult } from '../report/compare.ts';
import { formatComparison } from '../report/compare-format.ts';
import { readLastRoundEntry, readRoundEntries } from '../report/compare-inputs.ts';
import { readRunManifest } from '../store/run-reader.ts';
import { percent } from '../util/format.ts';
import { type CeilingVerdict, ceilingVerdict } from './ceiling-verdict.ts';
import { type RecipeOptions, startRecipe } from './recipe-dir.ts';

export const IMITATION_CEILING = 'imitation-ceiling';

/**
 * The experiment's size. The defaults are the measured full size (docs/benchmarks.md): a teacher
 * trained far enough to be clearly better than the student but far from solving the task, and
 * rounds enough for STaR to pass it.
 */
export const ImitationCeilingSettings = z
  .object({
    seed: z.number().int().nonnegative().default(0).describe('Sampling seed (train and eval draws) and run seed of every arm.'),
    teacherSteps: z.number().int().positive().default(60).describe('Fine-tuning steps of the one STaR round that makes the teacher from the base checkpoint.'),
    rounds: z.number().int().min(1).max(20).default(2).describe('Rounds of each student arm.'),
    steps: z.number().int().positive().default(200).describe('Fine-tuning steps per round of each student arm.'),
    k: z.number().int().positive().max(64).default(8).describe('Samples per train problem (by the teacher in arms A and B, the student in C).'),
  })
  .strict();
export type ImitationCeilingSettings = z.infer<typeof ImitationCeilingSettings>;

export const CEILING_ARMS = ['teacher', 'imitation', 'filtered', 'star'] as const;
export type CeilingArm = (typeof CEILING_ARMS)[number];

export interface ImitationCeilingResult {
  outDir: string;
  settings: ImitationCeilingSettings;
  /** Each arm's run directory. */
  runs: Record<CeilingArm, string>;
  comparison: ComparisonResult;
  verdict: CeilingVerdict;
  /** The comparison table and the verdict, as written to `compare.txt` (`compare.json` holds the numbers). */
  text: string;
}

/**
 * One arm's config: the embedded STaR demo (src/config/default-config.ts) at the experiment's size.
 * The arms differ only where the experiment says: who samples the training data, and which samples
 * survive.
 */
function armConfig(arm: CeilingArm, settings: ImitationCeilingSettings, teacherCheckpoint?: string): RunConfig {
  const raw = defaultRunConfigInput() as Record<string, Record<string, unknown>>;
  const student = {
    ...raw,
    name: `ceiling-${arm}`,
    seed: settings.seed,
    sampling: { ...raw.sampling, k: settings.k, seed: settings.seed },
    train: { ...raw.train, steps: settings.steps },
    rounds: settings.rounds,
  };
  const input = {
    teacher: { ...student, rounds: 1, train: { ...student.train, steps: settings.teacherSteps } },
    imitation: { ...student, teacher: { type: 'embedded', checkpoint: teacherCheckpoint, rounds: 'every' }, select: { ...raw.select, filter: 'none' } },
    filtered: { ...student, teacher: { type: 'embedded', checkpoint: teacherCheckpoint, rounds: 'every' }, select: { ...raw.select, filter: 'verified' } },
    star: student,
  }[arm];
  return resolveConfig(input, process.cwd(), `${IMITATION_CEILING} recipe, ${arm} arm`);
}

/** The checkpoint the teacher arm's one round trained: the model its last entry evaluated. */
async function teacherCheckpoint(runDir: string): Promise<string> {
  const last = (await readRunManifest(runDir)).policies.at(-1);
  if (!last?.checkpoint) throw new RunStoreError('RUN_MISMATCH', `the teacher arm ${runDir} holds no trained checkpoint; remove it and run the experiment again`);
  return last.checkpoint;
}

const relabel = (entry: ComparisonEntry, label: string): ComparisonEntry => ({ ...entry, label });

/**
 * `starloop run --recipe imitation-ceiling`: where imitation stops and the correctness filter goes
 * on, on the embedded arithmetic task. A teacher is made by one short STaR round from the base
 * checkpoint; the student (the base checkpoint) is then trained three ways for the same rounds and
 * steps: A on the teacher's samples unfiltered (imitation), B on the teacher's verified samples
 * (filtered distillation), C on its own verified samples (STaR). Each is a run of its own under
 * `outDir`; the last rounds are compared with the teacher, paired per eval problem.
 */
export async function runImitationCeiling(options: RecipeOptions<z.input<typeof ImitationCeilingSettings>>): Promise<ImitationCeilingResult> {
  const { outDir, settings, runArm } = await startRecipe(IMITATION_CEILING, ImitationCeilingSettings, options);
  const teacherRun = await runArm('teacher', armConfig('teacher', settings));
  const checkpoint = await teacherCheckpoint(teacherRun);
  const runs: Record<CeilingArm, string> = {
    teacher: teacherRun,
    imitation: await runArm('imitation', armConfig('imitation', settings, checkpoint)),
    filtered: await runArm('filtered', armConfig('filtered', settings, checkpoint)),
    star: await runArm('star', armConfig('star', settings)),
  };

  const last = async (arm: CeilingArm) => {
    const entry = await readLastRoundEntry(runs[arm]);
    return relabel(entry, `${arm}${entry.label.slice(entry.label.lastIndexOf(' r'))}`);
  };
  const teacher = await last('teacher');
  const [untrained] = await readRoundEntries(runs.star, [0]);
  const arms = { imitation: await last('imitation'), filtered: await last('filtered'), star: await last('star') };
  const comparison = compareRuns([teacher, relabel(untrained, 'student r0 (untrained)'), arms.imitation, arms.filtered, arms.star], { seed: settings.seed });
  const verdict = ceilingVerdict(comparison, { teacher: teacher.label, imitation: arms.imitation.label, filtered: arms.filtered.label, star: arms.star.label });
  const text = [
    `imitation ceiling on the embedded arithmetic task: seed ${settings.seed}, teacher ${settings.teacherSteps} steps, ` +
      `student arms ${settings.rounds} round${settings.rounds === 1 ? '' : 's'} of ${settings.steps} steps, k=${settings.k}`,
    `teacher eval pass@1 ${percent(comparison.entries[0].passAt1)}; every arm is compared with it on the same eval problems`,
    '',
    formatComparison(comparison),
    '',
    ...verdict.lines,
    '',
  ].join('\n');
  const result = { outDir, settings, runs, comparison, verdict, text };
  await writeFile(join(outDir, 'compare.txt'), text);
  await writeFile(join(outDir, 'compare.json'), `${JSON.stringify({ settings, runs, comparison, verdict }, null, 2)}\n`);
  return result;
}
